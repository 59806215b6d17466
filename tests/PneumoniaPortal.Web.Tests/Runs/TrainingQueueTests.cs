using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Runs;

/// <summary>The queue, the live hub and run ownership, on a real host with real (tiny) training runs.</summary>
public sealed class TrainingQueueTests : IClassFixture<PortalHost>
{
    readonly PortalHost _host;
    public TrainingQueueTests(PortalHost host) => _host = host;

    static async Task<SignedInClient> NewStudentAsync(PortalHost host)
    {
        var client = host.NewClient();
        await SignInTests.RegisterAsync(client, $"s-{Guid.NewGuid():N}"[..12] + "@example.org", await host.OutsiderJoinCodeAsync());
        return client;
    }

    [Fact]
    public void A_job_stored_in_a_shared_queue_before_the_runs_feature_moved_still_finds_its_type()
    {
        // As Hangfire.Core's SimpleAssemblyName serializer stored it in PostgreSQL under the old namespace.
        Assert.Equal(typeof(TrainingJob), TrainingJob.ResolveType("PneumoniaPortal.Web.Training.TrainingJob, PneumoniaPortal.Web"));
        Assert.Equal(typeof(TrainingJob), TrainingJob.ResolveType(typeof(TrainingJob).FullName + ", PneumoniaPortal.Web"));
        Assert.Equal(typeof(string), TrainingJob.ResolveType("System.String, mscorlib"));
    }

    [Fact]
    public async Task SignalR_client_receives_every_epoch_of_a_tiny_real_training_run_as_it_finishes()
    {
        using var student = await NewStudentAsync(_host);
        await using var hub = _host.Hub(student);
        var epochs = new ConcurrentQueue<EpochMessage>();
        var statuses = new ConcurrentQueue<RunStatusMessage>();
        // The host runs in this process: what its threads' priorities are while the run trains, seen at each epoch.
        var threadsAtEpochs = new ConcurrentQueue<List<(string Name, int Nice)>>();
        hub.On<EpochMessage>("epoch", e =>
        {
            if (OperatingSystem.IsLinux()) threadsAtEpochs.Enqueue(ThreadsOfThisProcess());
            epochs.Enqueue(e);
        });
        hub.On<RunStatusMessage>("status", statuses.Enqueue);
        await hub.StartAsync();

        var id = await student.StartRunAsync("live tiny run");
        var history = await hub.InvokeAsync<IReadOnlyList<LiveEpoch>>("WatchRun", id);
        var done = await student.WaitForAsync(id, TimeSpan.FromMinutes(3), "Succeeded", "Failed");
        Assert.True(done.Status == "Succeeded", done.Error);
        await WaitUntilAsync(() => statuses.Any(s => s.Status == "Succeeded"));

        var live = history.Select(e => e.Epoch).Concat(epochs.Select(e => e.Epoch.Epoch)).Distinct().Order().ToList();
        Assert.True(live.SequenceEqual([1, 2, 3]),
            $"history [{string.Join(",", history.Select(e => e.Epoch))}], live [{string.Join(",", epochs.Select(e => e.Epoch.Epoch))}], statuses [{string.Join(" | ", statuses.Select(s => s.Status + ":" + s.Message))}], stored [{string.Join(",", done.History.Select(e => e.Epoch))}]");
        Assert.True(epochs.Count >= 2, "at least two epochs should arrive live, after WatchRun");
        Assert.All(epochs, e => Assert.Equal(id, e.RunId));
        Assert.All(epochs, e => Assert.InRange(e.Epoch.Validation.Accuracy!.Value, 0, 1));
        // The stored history is what a reload shows: the same epochs, in order.
        Assert.Equal([1, 2, 3], done.History.Select(e => e.Epoch));
        Assert.Equal(3, done.EpochsDone);
        if (OperatingSystem.IsLinux())
        {
            // It trained below the pages' priority: the run's training thread carried Training:Nice's default...
            var training = TrainingJob.TrainingThreadName(id);
            Assert.True(threadsAtEpochs.Any(threads => threads.Any(t => t.Name == training && t.Nice == 10)),
                $"no thread {training} at nice 10 during the run; threads (name:nice) at the first epoch: {Describe(threadsAtEpochs.FirstOrDefault() ?? [])}");
            // ... and nothing else did: not the Hangfire worker that stored its epochs, not the thread pool serving pages.
            var after = ThreadsOfThisProcess();
            Assert.True(after.Where(t => t.Name.StartsWith(".NET TP") || t.Name.StartsWith("Worker #")).All(t => t.Nice == 0),
                $"threads (name:nice): {Describe(after)}");
        }
    }

    static string Describe(IEnumerable<(string Name, int Nice)> threads) => string.Join(" | ", threads.Select(t => $"{t.Name}:{t.Nice}"));

    static List<(string Name, int Nice)> ThreadsOfThisProcess()
    {
        var threads = new List<(string, int)>();
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var nice = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
                threads.Add((File.ReadAllText(Path.Combine(task, "comm")).Trim(), nice));
            }
            catch (IOException) { } // the thread ended meanwhile
        return threads;
    }

    [Fact]
    public async Task Student_cannot_join_the_SignalR_group_of_another_students_run()
    {
        using var owner = await NewStudentAsync(_host);
        using var other = await NewStudentAsync(_host);
        var id = await owner.StartRunAsync("private run");
        await using var hub = _host.Hub(other);
        var received = 0;
        hub.On<EpochMessage>("epoch", _ => Interlocked.Increment(ref received));
        await hub.StartAsync();
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<IReadOnlyList<LiveEpoch>>("WatchRun", id));
        Assert.Contains("not yours", error.Message);
        await owner.WaitForAsync(id, TimeSpan.FromMinutes(3), "Succeeded", "Failed", "Cancelled");
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task Anonymous_client_cannot_connect_to_the_training_hub()
    {
        using var anonymous = _host.NewClient();
        await using var hub = _host.Hub(anonymous);
        await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync());
    }

    [Fact]
    public async Task Student_cannot_see_or_cancel_another_students_private_run()
    {
        using var owner = await NewStudentAsync(_host);
        using var other = await NewStudentAsync(_host);
        var id = await owner.StartRunAsync("not for others");

        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"api/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.Http.PostAsync($"api/runs/{id}/cancel", null)).StatusCode);
        var page = await other.Http.GetStringAsync($"runs/{id}");
        Assert.Contains("run-not-found", page);
        Assert.DoesNotContain("not for others", page);
        var list = await other.Http.GetFromJsonAsync<List<RunListItem>>("api/runs?all=true", PortalApi.Json);
        Assert.DoesNotContain(list!, r => r.Id == id);

        var ownPage = await owner.Http.GetStringAsync($"runs/{id}");
        Assert.Contains("not for others", ownPage);
        await owner.WaitForAsync(id, TimeSpan.FromMinutes(3), "Succeeded", "Failed");
    }

    [Fact]
    public async Task Instructor_sees_the_runs_of_students_in_their_class()
    {
        using var instructor = await _host.SignInAsync(DemoSeeder.InstructorEmail);
        using var student = await _host.SignInAsync(DemoSeeder.StudentEmail);
        var id = await student.StartRunAsync("class run");
        Assert.Equal(HttpStatusCode.OK, (await instructor.Http.GetAsync($"api/runs/{id}")).StatusCode);
        await student.WaitForAsync(id, TimeSpan.FromMinutes(3), "Succeeded", "Failed");
    }

    [Fact]
    public async Task Second_run_waits_in_the_queue_and_a_queued_run_can_be_cancelled_before_it_starts()
    {
        using var student = await NewStudentAsync(_host);
        // Slow enough that the second run is still waiting when it is cancelled.
        var first = await student.StartRunAsync("first", PortalApi.SlowConfig());
        var second = await student.StartRunAsync("second");
        var waiting = await student.GetRunAsync(second);
        Assert.Equal("Queued", waiting.Status);
        Assert.NotNull(waiting.QueuePosition);

        Assert.Equal(HttpStatusCode.NoContent, (await student.Http.PostAsync($"api/runs/{second}/cancel", null)).StatusCode);
        Assert.Equal("Cancelled", (await student.GetRunAsync(second)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await student.Http.PostAsync($"api/runs/{first}/cancel", null)).StatusCode);
        var stopped = await student.WaitForAsync(first, TimeSpan.FromMinutes(2), "Cancelled", "Succeeded", "Failed");
        Assert.Equal("Cancelled", stopped.Status);
        Assert.True(stopped.EpochsDone < 30);
        Assert.Equal(0, (await student.GetRunAsync(second)).EpochsDone);
    }

    [Fact]
    public async Task Impossible_settings_and_a_full_quota_are_refused_with_a_message_and_nothing_is_queued()
    {
        using var student = await NewStudentAsync(_host);
        var bad = PortalApi.TinyConfig() with { Augmentation = new() { RotationDegrees = 400 } };
        var response = await student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("bad", "tiny", bad), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Rotation must be between 0 and 180 degrees; you entered 400 degrees", await response.Content.ReadAsStringAsync());

        var ids = new List<int>();
        for (var i = 0; i < 3; i++) ids.Add(await student.StartRunAsync($"quota {i}", PortalApi.SlowConfig()));
        var refused = await student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("one too many", "tiny", PortalApi.TinyConfig()), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("the limit is 3", await refused.Content.ReadAsStringAsync());
        var mine = await student.Http.GetFromJsonAsync<List<RunListItem>>("api/runs", PortalApi.Json);
        Assert.Equal(3, mine!.Count);
        foreach (var id in ids) await student.Http.PostAsync($"api/runs/{id}/cancel", null);
    }

    static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
