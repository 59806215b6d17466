using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using PneumoniaPortal.ScaleOut.Tests.Load;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.ScaleOut.Tests;

/// <summary>
/// Issue 7: a class of simulated students on the portal while two runs train, bounded in time. The figures go to
/// TestResults/load.json; only errors are asserted (latencies are benchmarks on a shared machine, not pass marks).
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    sealed record ReceivedEpoch(int Student, int RunId, LiveEpoch Epoch, long SentAtMs, long ReceivedAtMs);

    [Fact]
    public async Task Two_hundred_students_browse_and_watch_two_training_runs_for_a_minute_without_an_error()
    {
        var settings = LoadSettings.FromEnvironment();
        if (settings.Circuits > 0) LoadCircuits.ChromiumPath(); // fail in a second, not after the set-up
        // The figures are the machine's: the test projects `dotnet test` runs beside this one finish first.
        using var turn = await Task.Run(() => MachineTurn.Alone(TimeSpan.FromMinutes(20)));
        Log(turn.IsAlone
            ? $"Alone on the machine after waiting {turn.Waited.TotalSeconds:0} s for other test processes"
            : $"Other test processes still ran after {turn.Waited.TotalMinutes:0} min: measured beside them");
        // Bounded whatever the portal or the browser does: the phases stop at the limit, the test half a minute later,
        // and the portal process is stopped in any case.
        var limit = settings.Window + TimeSpan.FromMinutes(5);
        LoadTarget? started = null;
        try
        {
            await Task.Run(() => LoadAsync(settings, turn, limit, t => started = t)).WaitAsync(limit + TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (started is not null) await started.DisposeAsync();
        }
    }

    async Task LoadAsync(LoadSettings settings, MachineTurn.AloneTurn turn, TimeSpan limit, Action<LoadTarget> onStarted)
    {
        var results = LoadSettings.ResultsFolder();
        var total = Stopwatch.StartNew();
        using var hardStop = new CancellationTokenSource(limit);
        var ct = hardStop.Token;

        await using var target = await LoadTarget.StartLocalAsync(Path.Combine(results, "load-portal.log"), TimeSpan.FromSeconds(60));
        onStarted(target);
        var node = target.Nodes[0];
        var startingSeconds = total.Elapsed.TotalSeconds;
        Log($"Portal up at {node.BaseAddress} (pid {node.ProcessId}) after {total.Elapsed.TotalSeconds:0.0} s");

        // The class: the demo class's join code from the instructor's class list, then every student registers with it.
        var setup = Stopwatch.StartNew();
        await using var instructor = new LoadStudent(node, LoadTarget.DemoInstructor);
        await instructor.SignInAsync(LoadTarget.Password, ct);
        var joinCode = await instructor.JoinCodeAsync(ct);
        var students = Enumerable.Range(0, settings.Students)
            .Select(i => new LoadStudent(target.NodeFor(i), $"load-student-{i:D3}@portal.local")).ToList();
        try
        {
            // Password hashing dominates registering on two cores: a few at a time, before the timed window.
            await Parallel.ForEachAsync(students.Select((s, i) => (s, i)), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
                async (x, c) => await x.s.RegisterAsync($"Load student {x.i:D3}", LoadTarget.Password, joinCode, c));
            var registering = setup.Elapsed;
            Log($"{students.Count} students registered and joined class {joinCode} in {registering.TotalSeconds:0.0} s");

            // Two runs by students, shared with the class so that every student may watch them.
            await using var demoStudent = new LoadStudent(node, LoadTarget.DemoStudent);
            await demoStudent.SignInAsync(LoadTarget.Password, ct);
            var owners = new[] { demoStudent, students[0] };
            var runs = new List<int>();
            for (var r = 0; r < owners.Length; r++)
            {
                var id = await owners[r].StartRunAsync($"Load run {(char)('A' + r)}", LoadSettings.TrainingConfig(), ct);
                await owners[r].ShareWithClassAsync(id, ct);
                runs.Add(id);
            }
            var firstEpoch = Stopwatch.StartNew();
            while ((await demoStudent.RunStatusAsync(runs[0], ct)).EpochsDone == 0)
            {
                if (firstEpoch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"Run {runs[0]} finished no epoch within 60 s.");
                await Task.Delay(250, ct);
            }
            Log($"Runs {string.Join(", ", runs)} started and shared; the first epoch came after {firstEpoch.Elapsed.TotalSeconds:0.0} s");

            // Memory: before the students connect, after their SignalR connections, after the circuits.
            var firstEpochSeconds = firstEpoch.Elapsed.TotalSeconds;
            var connecting = Stopwatch.StartNew();
            var rssBeforeStudents = node.ResidentBytes();
            var received = new ConcurrentQueue<ReceivedEpoch>();
            await Parallel.ForEachAsync(students.Select((s, i) => (s, i)), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
                async (x, c) => await x.s.WatchAsync(runs[x.i % runs.Count], (m, at) => received.Enqueue(new ReceivedEpoch(x.i, m.RunId, m.Epoch, m.SentAtMs, at)), c));
            await Task.Delay(2000, ct); // let the connections settle before reading memory
            var rssAfterStudents = node.ResidentBytes();
            connecting.Stop();
            Log($"{students.Count} SignalR connections joined their run's group; RSS {MiB(rssBeforeStudents)} → {MiB(rssAfterStudents)} MiB");

            await using var circuits = new LoadCircuits();
            var openingCircuits = Stopwatch.StartNew();
            if (settings.Circuits > 0)
                await circuits.OpenAsync(students.Take(Math.Min(10, settings.Circuits)).ToList(), runs, settings.Circuits, ct);
            openingCircuits.Stop();
            await Task.Delay(2000, ct);
            var rssAfterCircuits = node.ResidentBytes();
            Log($"{circuits.Pages.Count} interactive circuits on the run pages after {openingCircuits.Elapsed.TotalSeconds:0.0} s; RSS {MiB(rssAfterCircuits)} MiB");

            // The window: every student browses; the runs keep training and every epoch fans out to the watchers.
            var images = await students[0].VisibleImagesAsync(ct);
            var windowStart = DateTimeOffset.UtcNow;
            var until = windowStart.UtcDateTime + settings.Window;
            var log = new LatencyLog();
            var browsing = students.Select((s, i) => s.BrowseAsync(runs, images, until, log, seed: i, ct)).ToList();
            var handOver = HandOverTheWorkerAsync(owners, runs, windowStart, settings.Window,
                () => received.Any(e => e.RunId == runs[0] && e.SentAtMs >= windowStart.ToUnixTimeMilliseconds()), ct);
            var rssPeak = rssAfterCircuits ?? 0;
            while (DateTime.UtcNow < until)
            {
                await Task.Delay(1000, ct);
                rssPeak = Math.Max(rssPeak, node.ResidentBytes() ?? 0);
            }
            var windowEnd = DateTimeOffset.UtcNow;
            var rssEnd = node.ResidentBytes();
            // Requests started in the window may finish after it; they count, and anything still open then is an error.
            var stragglers = Task.WhenAll(browsing);
            if (await Task.WhenAny(stragglers, Task.Delay(TimeSpan.FromSeconds(30), ct)) != stragglers)
                Log("Some requests were still open 30 s after the window; they count as errors when the test stops waiting.");
            var handedOver = await handOver;
            var drained = DateTimeOffset.UtcNow;

            var checking = Stopwatch.StartNew();
            var circuitChecks = await circuits.CheckAsync(30_000);
            checking.Stop();
            foreach (var check in circuitChecks.Where(c => !c.Answers || c.EverDisconnected)) Log($"Circuit {check.Url}: answered a click {check.Answers}; {check.State}");
            var circuitLatencies = settings.Circuits > 0 ? await circuits.EpochLatenciesAsync() : [];

            // Figures.
            var samples = log.Samples;
            var t0 = windowStart.ToUnixTimeMilliseconds();
            var t1 = windowEnd.ToUnixTimeMilliseconds();
            var inWindow = received.Where(e => e.SentAtMs >= t0 && e.SentAtMs <= t1).ToList();
            var withoutEpoch = students.Select((s, i) => (s, i)).Where(x => inWindow.All(e => e.Student != x.i)).Select(x => x.s.Email).ToList();
            var hubsLost = students.Where(s => s.HubLost is not null).Select(s => $"{s.Email}: SignalR connection lost ({s.HubLost})").ToList();
            var errors = log.Errors.Concat(hubsLost)
                .Concat(target.FailureLines.Where(l => l.StartsWith("fail:") || l.StartsWith("crit:")).Select(l => $"portal log: {l}"))
                .Concat(circuitChecks.Where(c => c.EverDisconnected).Select(c => $"circuit lost its connection: {c.State}"))
                .Concat(circuitChecks.Where(c => !c.Answers && !c.EverDisconnected).Select(c => $"circuit still connected but no answer to a click in 30 s: {c.State}"))
                .ToList();
            var pages = samples.Where(s => !s.Page.StartsWith("/api/")).ToList();
            var runFigures = new List<object>();
            foreach (var (run, owner) in runs.Zip(owners))
            {
                var epochs = inWindow.Where(e => e.RunId == run).GroupBy(e => e.Epoch.Epoch).Select(g => g.First().Epoch).OrderBy(e => e.Epoch).ToList();
                var status = await owner.RunStatusAsync(run, CancellationToken.None);
                runFigures.Add(new
                {
                    run,
                    epochsInWindow = epochs.Count,
                    epochNumbersInWindow = epochs.Count == 0 ? "none" : $"{epochs[0].Epoch}–{epochs[^1].Epoch}",
                    medianEpochSeconds = Median(epochs.Select(e => e.Seconds)),
                    medianImagesPerSecond = Median(epochs.Select(e => e.ImagesPerSecond)),
                    statusAtEnd = status.Status,
                });
            }
            var report = new
            {
                machine = new { aloneAmongTestProcesses = turn.IsAlone, waitedForOtherTestsSeconds = Math.Round(turn.Waited.TotalSeconds, 1) },
                students = settings.Students,
                windowSeconds = Math.Round((windowEnd - windowStart).TotalSeconds, 1),
                circuits = circuits.Pages.Count,
                circuitsAnsweringAtEnd = circuitChecks.Count(c => c.Answers),
                circuitsThatLostTheirConnection = circuitChecks.Count(c => c.EverDisconnected),
                nodes = target.Nodes.Select(n => n.BaseAddress.ToString()),
                requests = samples.Count,
                requestsPerSecond = Math.Round(samples.Count / (windowEnd - windowStart).TotalSeconds, 1),
                errorCount = errors.Count,
                errors = errors.GroupBy(e => e).Select(g => new { error = g.Key, count = g.Count() }).OrderByDescending(g => g.count).Take(30),
                pageLatency = new
                {
                    overall = LatencySummary.Of(pages.Select(s => s.Ms)),
                    byPage = samples.GroupBy(s => s.Page).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => LatencySummary.Of(g.Select(s => s.Ms))),
                    allRequestsIncludingThumbnails = LatencySummary.Of(samples.Select(s => s.Ms)),
                    note = "Prerendered HTML of each page (no circuit) and the explorer's thumbnails, closed loop with 1–3 s think time.",
                },
                epochFanOut = new
                {
                    signalRClients = LatencySummary.Of(inWindow.Select(e => (double)(e.ReceivedAtMs - e.SentAtMs))),
                    messagesReceived = inWindow.Count,
                    studentsWithoutAnEpoch = withoutEpoch.Count,
                    runPagesInBrowser = LatencySummary.Of(circuitLatencies),
                    runPageOpenedToInteractive = LatencySummary.Of(circuits.OpenMs),
                    circuitClickAfterWindow = LatencySummary.Of(circuitChecks.Where(c => c.Answers).Select(c => c.ClickAnsweredMs!.Value)),
                    note = "Receive time − the server's SentAtMs in the \"epoch\" message, same clock, millisecond resolution. " +
                           "runPagesInBrowser: the run pages' own measure (to the point drawn on the chart), all epochs since each page opened. " +
                           "circuitClickAfterWindow: all circuits clicked at once right after the window, until the circuit re-rendered the drawer. " +
                           "runPageOpenedToInteractive: each browser page from its opening to its circuit's first answered click, three loading at a time, before the window.",
                },
                memory = new
                {
                    source = "VmRSS of the portal process from /proc/{pid}/status (no managed-heap endpoint in the portal; RSS only, server GC does not give memory back promptly)",
                    rssBeforeStudentsMiB = MiB(rssBeforeStudents),
                    rssAfterStudentConnectionsMiB = MiB(rssAfterStudents),
                    rssAfterCircuitsMiB = MiB(rssAfterCircuits),
                    rssPeakInWindowMiB = MiB(rssPeak),
                    rssEndOfWindowMiB = MiB(rssEnd),
                    rssPerStudentConnectionKiB = KiB(rssAfterStudents - rssBeforeStudents, settings.Students),
                    rssPerCircuitKiB = KiB(rssAfterCircuits - rssAfterStudents, circuits.Pages.Count),
                    rssPerStudentWholeWindowKiB = KiB(rssEnd - rssBeforeStudents, settings.Students),
                    note = "perStudentConnection: (after − before the students' SignalR connections) / students, before any page load. " +
                           "perCircuit: (after − before opening the browser pages) / circuits, before the window. " +
                           "perStudentWholeWindow: (end of window − before students) / students, circuits and training included. " +
                           "RSS moves by tens of MiB as the GC grows or trims its heap, so a small or negative per-connection figure means below that noise.",
                },
                training = new
                {
                    runs = runFigures,
                    workerHandOver = handedOver,
                    note = "One training worker per portal process: a second run waits in the queue. When it still waited after the first run's first epoch in the window (a quarter of the window at the earliest, half at the latest), " +
                           "the first run was cancelled so that both trained inside the window (one after the other).",
                },
                timing = new
                {
                    startingPortalSeconds = Math.Round(startingSeconds, 1),
                    registeringSeconds = Math.Round(registering.TotalSeconds, 1),
                    firstEpochSeconds = Math.Round(firstEpochSeconds, 1),
                    connectingStudentsSeconds = Math.Round(connecting.Elapsed.TotalSeconds, 1),
                    openingCircuitsSeconds = Math.Round(openingCircuits.Elapsed.TotalSeconds, 1),
                    drainingSeconds = Math.Round((drained - windowEnd).TotalSeconds, 1),
                    checkingCircuitsSeconds = Math.Round(checking.Elapsed.TotalSeconds, 1),
                    totalSeconds = Math.Round(total.Elapsed.TotalSeconds, 1),
                },
                portalLog = target.LogFile,
            };
            var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
            var file = Path.Combine(results, "load.json");
            await File.WriteAllTextAsync(file, json, CancellationToken.None);
            Log(json);
            Log($"Written to {file}");

            foreach (var line in target.FailureLines.Take(60)) Log(line);
            Assert.True(errors.Count == 0, $"{errors.Count} errors under load; first: {string.Join(" | ", errors.Distinct().Take(8))}");
            Assert.True(withoutEpoch.Count == 0, $"{withoutEpoch.Count} students' SignalR connections received no epoch in the window, e.g. {string.Join(", ", withoutEpoch.Take(5))}");
        }
        finally
        {
            await Task.WhenAll(students.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// One worker trains one run at a time (Training:ConcurrentRuns=2 on this 2-core machine starved the 50 circuits
    /// opening beside two runs): if the second run still waits once the first has sent an epoch inside the
    /// window (and a quarter of it has passed; half at the latest), the first is cancelled so that both train inside
    /// the window. On a cluster with two workers both train at once and nothing is cancelled.
    /// </summary>
    static async Task<string> HandOverTheWorkerAsync(LoadStudent[] owners, List<int> runs, DateTimeOffset windowStart, TimeSpan window,
        Func<bool> firstRunSentAnEpoch, CancellationToken ct)
    {
        while (true)
        {
            var elapsed = DateTimeOffset.UtcNow - windowStart;
            if ((elapsed >= window / 4 && firstRunSentAnEpoch()) || elapsed >= window / 2) break;
            await Task.Delay(250, ct);
        }
        var at = (DateTimeOffset.UtcNow - windowStart).TotalSeconds;
        var second = await owners[1].RunStatusAsync(runs[1], ct);
        if (second.Status != nameof(Web.Data.RunStatus.Queued)) return $"none: run {runs[1]} was {second.Status} {at:0} s into the window";
        await owners[0].CancelRunAsync(runs[0], ct);
        return $"run {runs[0]} cancelled {at:0} s into the window so that run {runs[1]} (queued) trains";
    }

    void Log(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    static double? MiB(long? bytes) => bytes is { } b ? Math.Round(b / 1048576.0, 1) : null;

    static double? KiB(long? bytes, int count) => bytes is { } b && count > 0 ? Math.Round(b / 1024.0 / count, 1) : null;

    static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? null : Math.Round(sorted[sorted.Length / 2], 2);
    }
}
