using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Training.Native;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Scale;

namespace PneumoniaPortal.Web.Runs;

/// <summary>Names this worker on the runs it trains (machine, process, and which portal host in it), so a node can tell whose heartbeat stopped.</summary>
public sealed class WorkerIdentity
{
    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";
}

/// <summary>
/// The Hangfire job that trains one run on this worker: marks it Running, stores and broadcasts every finished
/// epoch, and ends it Succeeded, Failed, Cancelled, or Interrupted (server stopping; it can resume).
/// </summary>
public sealed class TrainingJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    DatasetService datasets,
    RunNotifier notifier,
    RunCancellation cancellation,
    PortalPaths paths,
    IOptions<TrainingOptions> options,
    IBackgroundJobClient jobs,
    WorkerIdentity worker,
    WorkerSpeeds speeds,
    Leaderboards.HeldOutImages heldOut,
    ILogger<TrainingJob> log)
{
    string WorkerName => worker.Name;

    // Set when another node took the run away (its heartbeat looked stale); this worker then writes nothing more.
    volatile bool _lost;

    // The claim this job holds on its run, once it has claimed it.
    int? _claim;

    /// <summary>
    /// Hangfire's type resolver: jobs stored in a shared queue name their type, and those queued before the job moved
    /// from <c>PneumoniaPortal.Web.Training</c> still find it.
    /// </summary>
    public static Type ResolveType(string typeName) =>
        typeName.StartsWith("PneumoniaPortal.Web.Training.TrainingJob,", StringComparison.Ordinal) ? typeof(TrainingJob) : TypeHelper.DefaultTypeResolver(typeName);

    /// <summary>Puts the run on its device's queue; returns the Hangfire job id.</summary>
    public static string Enqueue(Hangfire.IBackgroundJobClient jobs, TrainingRun run) =>
        jobs.Create<TrainingJob>(j => j.Run(run.Id, CancellationToken.None), new Hangfire.States.EnqueuedState(run.Queue));

    /// <summary>
    /// Queues a stopped run again, to continue after its last finished epoch (resumed by its owner, or by itself after
    /// its worker was lost). A student's run takes a free quota slot again; false (and nothing changed) when none is free.
    /// </summary>
    public static async Task<bool> RequeueAsync(PortalDbContext db, IBackgroundJobClient jobs, RunNotifier notifier, TrainingOptions options,
        TrainingRun run, string message, CancellationToken ct)
    {
        var slot = run.QuotaSlot;
        // A student's run needs a slot even when it has none: runs stored before slots existed have none.
        var needsSlot = slot is not null || !await QuotaSlots.IsStaffAsync(db, run.OwnerId, ct);
        for (var attempt = 1; ; attempt++)
        {
            if (needsSlot && (run.QuotaSlot = await QuotaSlots.FreeAsync(db, run.OwnerId, options.MaxQueuedRunsPerStudent, run.Id, ct)) is null)
            {
                run.QuotaSlot = slot; // unchanged; the caller's other changes stay for it to save
                return false;
            }
            run.Status = RunStatus.Queued;
            run.CancelRequested = false;
            run.Error = null;
            run.FinishedAt = null;
            run.QueuedAt = DateTimeOffset.UtcNow;
            run.Message = message;
            // Stored before the job exists: an idle worker picks it up at once and only trains runs that are Queued.
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 5 && needsSlot)
            {
                // A start took this slot at the same moment: look again (the run's changes stay tracked for the retry).
            }
        }
        run.JobId = Enqueue(jobs, run);
        await db.SaveChangesAsync(ct);
        await notifier.StatusAsync(new RunStatusMessage(run.Id, run.Status.ToString(), run.Message, run.EpochsDone, run.EpochsPlanned));
        return true;
    }

    [Hangfire.AutomaticRetry(Attempts = 0)]
    public void Run(int runId, CancellationToken stopping)
    {
        TrainingRun run;
        using (var db = dbFactory.CreateDbContext())
        {
            // Claimed in one conditional update: of two workers handed the same run, one trains it.
            var now = DateTimeOffset.UtcNow;
            var claimed = db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued && !r.CancelRequested)
                .ExecuteUpdate(s => s
                    .SetProperty(r => r.Status, RunStatus.Running)
                    .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                    .SetProperty(r => r.Worker, WorkerName)
                    .SetProperty(r => r.ClaimNumber, r => r.ClaimNumber + 1)
                    .SetProperty(r => r.HeartbeatAt, now)
                    .SetProperty(r => r.Message, "Starting"));
            run = db.Runs.AsNoTracking().Single(r => r.Id == runId);
            if (claimed > 0) _claim = run.ClaimNumber;
            if (claimed == 0)
            {
                if (run is { Status: RunStatus.Queued, CancelRequested: true }) Finish(runId, RunStatus.Cancelled, "Cancelled before it started.", null);
                return; // cancelled while queued, already done, or another worker has it
            }
        }
        Status(run, RunStatus.Running, "Starting");

        using var cts = cancellation.Register(runId, stopping);
        // However well it was priced, a run does not hold its worker for ever.
        var maxRunTime = options.Value.MaxRunTime;
        var training = Stopwatch.StartNew();
        if (maxRunTime < TimeSpan.FromDays(24)) cts.CancelAfter(maxRunTime);
        using var heartbeat = Heartbeat(runId, cts);
        ImageCatalog? ownCatalog = null, relabelled = null, withoutCopies = null;
        try
        {
            if (string.IsNullOrEmpty(run.Folder)) throw new InvalidOperationException($"Run {runId} has no run folder.");
            var config = JsonSerializer.Deserialize<RunConfig>(run.ConfigJson, RunFolder.Json)!;
            var active = datasets.GetActiveAsync(cts.Token).GetAwaiter().GetResult();
            var catalog = active.Catalog;
            if (active.Id != run.DatasetId)
            {
                // The run was started on another data set than the active one; train on the one it was set up with.
                using var db = dbFactory.CreateDbContext();
                var path = db.Datasets.Where(d => d.Id == run.DatasetId).Select(d => d.Path).Single();
                catalog = ownCatalog = DatasetImporter.Open(path, ct: cts.Token);
            }
            if (run.LabelVersion != (active.Id == run.DatasetId ? active.LabelVersion : 0))
            {
                // Trained on the label version chosen at start, whatever the data set's newest one is now.
                var labelled = datasets.ImagesAtAsync(run.DatasetId, catalog, run.LabelVersion, cts.Token).GetAwaiter().GetResult();
                catalog = relabelled = catalog.Original.Relabelled(labelled);
            }
            StoreEpochsTheFolderHas(run);
            // A file the trainer leaves out is named in its message; one a leaderboard holds back must not be.
            var heldBack = heldOut.PathsAsync(catalog, cts.Token).GetAwaiter().GetResult();
            // Copies of held-back test images in train or validation are not trained on (a model could learn the
            // leaderboard's images by heart); the held-back test images stay in the test split, which only the
            // leaderboard scores. The same images are left out of the run's estimate.
            if (catalog.Images.Any(i => i.Split != Split.Test && heldBack.Contains(i.RelativePath)))
                catalog = withoutCopies = catalog.Relabelled(catalog.Images.Where(i => i.Split == Split.Test || !heldBack.Contains(i.RelativePath)));
            // Training takes every core it is given; on a thread of its own at a lower priority it still does when
            // nobody asks for a page. This thread keeps the normal priority and stores and broadcasts what it reports.
            using var trainingThread = new LoweredThread();
            var lastBatchReport = Stopwatch.StartNew();
            var trainer = new Trainer(config, catalog, Path.Combine(paths.RunsDirectory, run.Folder), new TrainerOptions
            {
                RunId = runId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                CacheDirectory = paths.CacheDirectory,
                Epochs = trainingThread.Relay<EpochMetrics>(m =>
                {
                    OnEpoch(run, m);
                    LearnSpeed(run, config, catalog, m);
                }),
                Messages = trainingThread.Relay<string>(said =>
                {
                    var text = WithoutHeldBackPaths(said, heldBack);
                    SetMessage(runId, text);
                    Status(run, RunStatus.Running, text);
                }),
                Writing = trainingThread.Relay<string>(what => EnsureStillMine(run, what)),
                Batches = trainingThread.Relay<BatchProgress>(b =>
                {
                    // A few updates a second is plenty for a progress bar.
                    if (lastBatchReport.ElapsedMilliseconds < 500 && b.Batch != b.Batches) return;
                    lastBatchReport.Restart();
                    _ = notifier.StatusAsync(new RunStatusMessage(runId, nameof(RunStatus.Running), null, b.Epoch - 1, run.EpochsPlanned, b.Epoch, b.Batch, b.Batches, b.ImagesPerSecond));
                }),
            });
            var record = trainingThread.Run(TrainingThreadName(runId), options.Value.Nice, () =>
            {
                if (options.Value.ConcurrentRuns > 1)
                    // Runs trained side by side share the cores instead of each spinning a thread per core. OpenMP keeps
                    // the thread count per calling thread, so it is set on the thread that trains.
                    TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / options.Value.ConcurrentRuns));
                return trainer.Run(cts.Token);
            });
            if (!trainingThread.Lowered)
                log.LogDebug("Run {RunId} trained at the normal priority: the nice value could not be set here", runId);
            using (var db = dbFactory.CreateDbContext())
            {
                var row = db.Runs.Single(r => r.Id == runId);
                row.Device = record.Device;
                row.Parameters = record.Parameters;
                row.TestAccuracy = record.Test?.Evaluation.Accuracy;
                row.TestAuc = record.Test?.Evaluation.Auc;
                db.SaveChanges();
            }
            Finish(runId, RunStatus.Succeeded, record.StopReason, null);
        }
        catch (OperationCanceledException) when (_lost)
        {
            log.LogWarning("Run {RunId} was taken over by another node after this worker's heartbeat went stale; stopped here", runId);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested && !IsCancelRequested(runId) && training.Elapsed >= maxRunTime)
        {
            log.LogWarning("Run {RunId} trained for {Minutes:0.#} min, the most one run may here; stopped", runId, training.Elapsed.TotalMinutes);
            var minutes = $"{maxRunTime.TotalMinutes:0.##} min";
            Finish(runId, RunStatus.Failed, $"Training stopped after {minutes}, the longest one run may train here in one go; its finished epochs are kept.",
                $"It was still training after {minutes}, longer than its estimate allowed (the server may be busier than when it was measured). " +
                "Resume it to go on from its last finished epoch, or start a smaller run.");
        }
        catch (OperationCanceledException)
        {
            var requested = IsCancelRequested(runId);
            Finish(runId, requested ? RunStatus.Cancelled : RunStatus.Interrupted,
                requested ? "Cancelled; finished epochs are kept." : "Interrupted by a server stop; resume it to continue from the last finished epoch.", null);
            if (!requested && options.Value.Storage != "memory")
            {
                // Other workers share the queue: hand the run to the next one instead of waiting for its owner.
                using var db = dbFactory.CreateDbContext();
                RunRequeue.AfterInterruptionAsync(db, jobs, notifier, options.Value, runId, "its worker was stopped", CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (OutOfMemory(e) is { } why)
        {
            // The allocation failed cleanly: this worker lives on and takes the next run.
            log.LogWarning("Run {RunId} ran out of memory: {Error}", runId, e.Message);
            Finish(runId, RunStatus.Failed, "Training stopped: the run needed more memory than the worker has.", why);
        }
        catch (Exception e)
        {
            log.LogError(e, "Run {RunId} failed", runId);
            Finish(runId, RunStatus.Failed, "Training stopped with an error.", e is InvalidSettingsException or InvalidOperationException or DatasetLayoutException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            cancellation.Unregister(runId);
            ownCatalog?.Dispose();
            relabelled?.Dispose();
            withoutCopies?.Dispose();
        }
    }

    void OnEpoch(TrainingRun run, EpochMetrics m)
    {
        if (_lost) return;
        var live = LiveEpoch.From(m);
        WithDatabase(() =>
        {
            using var db = dbFactory.CreateDbContext();
            using var tx = db.Database.BeginTransaction(); // the epoch row and the run's summary, or neither
            // A resumed run may report an epoch again (it was cut off before its checkpoint): keep the newer one.
            db.RunEpochs.Where(e => e.RunId == run.Id && e.Epoch == m.Epoch).ExecuteDelete();
            db.RunEpochs.Add(new RunEpoch { RunId = run.Id, Epoch = m.Epoch, MetricsJson = RunHistory.Serialize(live) });
            var row = db.Runs.Single(r => r.Id == run.Id);
            row.EpochsDone = m.Epoch;
            row.ImagesPerSecond = m.ImagesPerSecond;
            if (m.IsBest || row.BestEpoch == 0)
            {
                row.BestEpoch = m.Epoch;
                row.BestValLoss = LiveSplit.N(m.Validation.Loss);
                row.BestValAccuracy = LiveSplit.N(m.Validation.Accuracy);
                row.BestValAuc = LiveSplit.N(m.Validation.Auc);
                row.BestValRecall = LiveSplit.N(m.Validation.Recall);
                row.BestValSpecificity = LiveSplit.N(m.Validation.Specificity);
            }
            db.SaveChanges();
            tx.Commit();
        });
        notifier.EpochAsync(run.Id, live).GetAwaiter().GetResult();
        Status(run, RunStatus.Running, $"Finished epoch {m.Epoch} of {run.EpochsPlanned}", m.Epoch);
    }

    /// <summary>
    /// Before anything is written to the run folder: this worker must still hold the run's latest claim. A worker whose
    /// heartbeat went stale (a database outage, a pause) and whose run another worker has taken over stops here without
    /// writing a byte; while the database cannot be asked, it waits rather than write blind.
    /// </summary>
    void EnsureStillMine(TrainingRun run, string what)
    {
        var mine = false;
        WithDatabase(() =>
        {
            using var db = dbFactory.CreateDbContext();
            mine = db.Runs.Any(r => r.Id == run.Id && r.ClaimNumber == run.ClaimNumber && r.Worker == WorkerName && r.Status == RunStatus.Running);
        });
        if (mine) return;
        _lost = true;
        log.LogWarning("Run {RunId} is no longer this worker's (claim {Claim}); {What} was not written", run.Id, run.ClaimNumber, what);
        throw new OperationCanceledException($"Run {run.Id} belongs to another worker now.");
    }

    /// <summary>A trainer message with the paths of held-back images replaced: their folder names their label.</summary>
    static string WithoutHeldBackPaths(string text, IReadOnlySet<string> heldBack)
    {
        foreach (var path in heldBack)
            if (text.Contains(path, StringComparison.Ordinal)) text = text.Replace(path, "a test image", StringComparison.Ordinal);
        return text;
    }

    /// <summary>What an allocation that failed says to the student, or null when <paramref name="e"/> is another error.</summary>
    static string? OutOfMemory(Exception e)
    {
        var text = e.Message;
        var oom = e is OutOfMemoryException
                  || text.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase)
                  || text.Contains("out of memory", StringComparison.OrdinalIgnoreCase);
        if (!oom) return null;
        var asked = System.Text.RegularExpressions.Regex.Match(text, @"allocate (\d+) bytes");
        var size = asked.Success && double.TryParse(asked.Groups[1].Value, out var bytes) ? $" (one allocation asked for {bytes / (1 << 20):N0} MiB)" : "";
        return $"The run ran out of memory{size}. A smaller batch, a smaller input size or fewer filters need less; the run's earlier epochs are kept.";
    }

    /// <summary>Teaches the queue's speed what this epoch really took, so the next estimates fit this worker.</summary>
    void LearnSpeed(TrainingRun run, RunConfig config, ImageCatalog catalog, EpochMetrics m)
    {
        try
        {
            var test = catalog.Images.Count(i => i.Split == Split.Test);
            speeds.EpochTookAsync(run.Queue, config, catalog.Count - test, test, m.Seconds).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogDebug("Run {RunId}: the worker speed was not updated: {Error}", run.Id, e.Message);
        }
    }

    /// <summary>
    /// A worker killed after an epoch's checkpoint and run.json were written but before its database row: the resumed
    /// run starts after that epoch, so its row is written here from the run folder (which holds only checkpointed epochs).
    /// </summary>
    void StoreEpochsTheFolderHas(TrainingRun run)
    {
        var folder = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder));
        if (!File.Exists(folder.RunJson) || !File.Exists(folder.StateJson)) return;
        var completed = folder.ReadJson<TrainerState>(folder.StateJson)?.CompletedEpochs ?? 0;
        var inFolder = folder.ReadRecord().History.Take(completed).ToList();
        using var db = dbFactory.CreateDbContext();
        var stored = db.RunEpochs.Where(e => e.RunId == run.Id).Select(e => e.Epoch).ToHashSet();
        foreach (var m in inFolder.Where(m => !stored.Contains(m.Epoch)))
        {
            log.LogWarning("Run {RunId}: epoch {Epoch} was checkpointed but not stored (its worker stopped in between); stored it from the run folder", run.Id, m.Epoch);
            OnEpoch(run, m);
        }
    }

    void Status(TrainingRun run, RunStatus status, string? message, int? epochsDone = null) =>
        _ = notifier.StatusAsync(new RunStatusMessage(run.Id, status.ToString(), message, epochsDone ?? run.EpochsDone, run.EpochsPlanned));

    void SetMessage(int runId, string text)
    {
        using var db = dbFactory.CreateDbContext();
        db.Runs.Where(r => r.Id == runId).ExecuteUpdate(s => s.SetProperty(r => r.Message, text));
    }

    bool IsCancelRequested(int runId)
    {
        using var db = dbFactory.CreateDbContext();
        return db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).Single();
    }

    void Finish(int runId, RunStatus status, string? message, string? error)
    {
        if (_lost) return;
        TrainingRun? row = null;
        WithDatabase(() =>
        {
            using var db = dbFactory.CreateDbContext();
            row = db.Runs.Single(r => r.Id == runId);
            // Another worker trains it now (another name, or a later claim of the same process).
            if ((row.Worker is not null && row.Worker != WorkerName) || (_claim is { } claim && row.ClaimNumber != claim)) { row = null; return; }
            row.Status = status;
            row.Worker = null;
            row.Message = message;
            row.Error = error;
            row.FinishedAt = DateTimeOffset.UtcNow;
            db.SaveChanges();
        });
        if (row is null) return;
        notifier.StatusAsync(new RunStatusMessage(runId, status.ToString(), message, row.EpochsDone, row.EpochsPlanned, Error: error)).GetAwaiter().GetResult();
        log.LogInformation("Run {RunId} ended {Status}: {Message} {Error}", runId, status, message, error);
    }

    /// <summary>
    /// Every few seconds: writes the heartbeat that tells other nodes this worker lives, and reads whether a cancel
    /// was pressed on another node. When the run is no longer this worker's (another node declared it lost), stops.
    /// </summary>
    Timer Heartbeat(int runId, CancellationTokenSource cts)
    {
        var period = TimeSpan.FromSeconds(Math.Max(0.2, Math.Min(options.Value.CancelPollSeconds, options.Value.HeartbeatSeconds)));
        return new Timer(_ =>
        {
            try
            {
                if (cts.IsCancellationRequested) return;
                using var db = dbFactory.CreateDbContext();
                var now = DateTimeOffset.UtcNow;
                var mine = db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Worker == WorkerName)
                    .ExecuteUpdate(s => s.SetProperty(r => r.HeartbeatAt, now));
                if (mine == 0) _lost = true;
                if (_lost || db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).Single()) cts.Cancel();
            }
            catch (ObjectDisposedException) { }
            // A database that is briefly down must not stop training; the epochs wait for it in OnEpoch.
            catch (Exception e) { log.LogWarning("Heartbeat of run {RunId} failed: {Error}", runId, e.Message); }
        }, null, period, period);
    }

    /// <summary>
    /// Retries a write through a brief database outage: the epoch it records is already trained and checkpointed.
    /// Gives up after a few minutes; the run is then found by the lost-run watchdog once the database is back.
    /// </summary>
    void WithDatabase(Action write)
    {
        var until = DateTime.UtcNow.AddSeconds(Math.Max(60, options.Value.LostAfterSeconds * 4));
        for (var delay = 500; ; delay = Math.Min(delay * 2, 5000))
        {
            try { write(); return; }
            catch (Exception e) when (DatabaseUnavailable.Is(e) && DateTime.UtcNow < until)
            {
                log.LogWarning("Training waits for the database: {Error}", e.GetBaseException().Message);
                Thread.Sleep(delay);
            }
        }
    }

    /// <summary>The training thread's name, which its Torch worker threads share (Linux shows 15 characters).</summary>
    public static string TrainingThreadName(int runId) => $"Training {runId}";
}
