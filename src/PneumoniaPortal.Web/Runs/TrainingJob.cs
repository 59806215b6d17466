using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training;
using PneumoniaPortal.Training.Native;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// The Hangfire job that trains one run on this worker: claim, train, finish. What each step does to the run's row,
/// and what it tells the pages, is <see cref="RunLifecycle"/>'s; while it trains, <see cref="RunHeartbeat"/> keeps
/// the claim alive and hears a cancel pressed on another node.
/// </summary>
public sealed class TrainingJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    DatasetService datasets,
    RunLifecycle lifecycle,
    RunCancellation cancellation,
    PortalPaths paths,
    IOptions<TrainingOptions> options,
    WorkerIdentity worker,
    WorkerSpeeds speeds,
    Leaderboards.HeldOutImages heldOut,
    ILogger<TrainingJob> log)
{
    /// <summary>
    /// Hangfire's type resolver: jobs stored in a shared queue name their type, and those queued before the job moved
    /// from <c>PneumoniaPortal.Web.Training</c> still find it.
    /// </summary>
    public static Type ResolveType(string typeName) =>
        typeName.StartsWith("PneumoniaPortal.Web.Training.TrainingJob,", StringComparison.Ordinal) ? typeof(TrainingJob) : TypeHelper.DefaultTypeResolver(typeName);

    /// <summary>Puts the run on its device's queue; returns the Hangfire job id.</summary>
    public static string Enqueue(IBackgroundJobClient jobs, TrainingRun run) =>
        jobs.Create<TrainingJob>(j => j.Run(run.Id, CancellationToken.None), new Hangfire.States.EnqueuedState(run.Queue));

    [AutomaticRetry(Attempts = 0)]
    public void Run(int runId, CancellationToken stopping)
    {
        if (lifecycle.Claim(runId, worker.Name) is not { } claim) return;
        var run = claim.Run;
        using var cts = cancellation.Register(runId, stopping);
        // However well it was priced, a run does not hold its worker for ever.
        var maxRunTime = options.Value.MaxRunTime;
        var training = Stopwatch.StartNew();
        if (maxRunTime < TimeSpan.FromDays(24)) cts.CancelAfter(maxRunTime);
        using var heartbeat = new RunHeartbeat(dbFactory, lifecycle, options.Value, log, claim, cts);
        // Nothing more is written once another worker holds the run.
        void End(RunStatus status, string? message, string? error)
        {
            if (!heartbeat.Lost) lifecycle.Finish(claim, status, message, error);
        }
        RunCatalog? opened = null;
        ImageCatalog? withoutCopies = null;
        try
        {
            if (string.IsNullOrEmpty(run.Folder)) throw new InvalidOperationException($"Run {runId} has no run folder.");
            var config = JsonSerializer.Deserialize<RunConfig>(run.ConfigJson, RunFolder.Json)!;
            opened = datasets.OpenForRunAsync(run, cts.Token).GetAwaiter().GetResult();
            var catalog = opened.Catalog;
            StoreEpochsTheFolderHas(claim, heartbeat);
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
                // Runs trained side by side share the cores instead of each spinning a thread per core.
                Threads = options.Value.ConcurrentRuns > 1 ? Environment.ProcessorCount / options.Value.ConcurrentRuns : null,
                Epochs = trainingThread.Relay<EpochMetrics>(m =>
                {
                    if (!heartbeat.Lost) lifecycle.RecordEpoch(claim, m);
                    LearnSpeed(run, config, catalog, m);
                }),
                Messages = trainingThread.Relay<string>(said => lifecycle.Say(claim, WithoutHeldBackPaths(said, heldBack))),
                Writing = trainingThread.Relay<string>(heartbeat.EnsureStillMine),
                Batches = trainingThread.Relay<BatchProgress>(b =>
                {
                    // A few updates a second is plenty for a progress bar.
                    if (lastBatchReport.ElapsedMilliseconds < 500 && b.Batch != b.Batches) return;
                    lastBatchReport.Restart();
                    lifecycle.Progress(claim, b);
                }),
            });
            var record = trainingThread.Run(TrainingThreadName(runId), options.Value.Nice, () => trainer.Run(cts.Token));
            if (!trainingThread.Lowered)
                log.LogDebug("Run {RunId} trained at the normal priority: the nice value could not be set here", runId);
            lifecycle.RecordResults(runId, record);
            End(RunStatus.Succeeded, record.StopReason, null);
        }
        catch (OperationCanceledException) when (heartbeat.Lost)
        {
            log.LogWarning("Run {RunId} was taken over by another node after this worker's heartbeat went stale; stopped here", runId);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested && !IsCancelRequested(runId) && training.Elapsed >= maxRunTime)
        {
            log.LogWarning("Run {RunId} trained for {Minutes:0.#} min, the most one run may here; stopped", runId, training.Elapsed.TotalMinutes);
            var minutes = $"{maxRunTime.TotalMinutes:0.##} min";
            End(RunStatus.Failed, $"Training stopped after {minutes}, the longest one run may train here in one go; its finished epochs are kept.",
                $"It was still training after {minutes}, longer than its estimate allowed (the server may be busier than when it was measured). " +
                "Resume it to go on from its last finished epoch, or start a smaller run.");
        }
        catch (OperationCanceledException)
        {
            var requested = IsCancelRequested(runId);
            End(requested ? RunStatus.Cancelled : RunStatus.Interrupted,
                requested ? "Cancelled; finished epochs are kept." : "Interrupted by a server stop; resume it to continue from the last finished epoch.", null);
            if (!requested && options.Value.Storage != "memory")
                // Other workers share the queue: hand the run to the next one instead of waiting for its owner.
                lifecycle.AutoResumeAsync(runId, "its worker was stopped", CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (OutOfMemory(e) is { } why)
        {
            // The allocation failed cleanly: this worker lives on and takes the next run.
            log.LogWarning("Run {RunId} ran out of memory: {Error}", runId, e.Message);
            End(RunStatus.Failed, "Training stopped: the run needed more memory than the worker has.", why);
        }
        catch (Exception e)
        {
            log.LogError(e, "Run {RunId} failed", runId);
            End(RunStatus.Failed, "Training stopped with an error.", e is InvalidSettingsException or InvalidOperationException or DatasetLayoutException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            cancellation.Unregister(runId);
            opened?.Dispose();
            withoutCopies?.Dispose();
        }
    }

    bool IsCancelRequested(int runId)
    {
        using var db = dbFactory.CreateDbContext();
        return db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).Single();
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
    void StoreEpochsTheFolderHas(RunClaim claim, RunHeartbeat heartbeat)
    {
        var run = claim.Run;
        var folder = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder));
        if (!File.Exists(folder.RunJson) || !File.Exists(folder.StateJson)) return;
        var completed = folder.ReadJson<TrainerState>(folder.StateJson)?.CompletedEpochs ?? 0;
        var inFolder = folder.ReadRecord().History.Take(completed).ToList();
        using var db = dbFactory.CreateDbContext();
        var stored = db.RunEpochs.Where(e => e.RunId == run.Id).Select(e => e.Epoch).ToHashSet();
        foreach (var m in inFolder.Where(m => !stored.Contains(m.Epoch)))
        {
            log.LogWarning("Run {RunId}: epoch {Epoch} was checkpointed but not stored (its worker stopped in between); stored it from the run folder", run.Id, m.Epoch);
            if (!heartbeat.Lost) lifecycle.RecordEpoch(claim, m);
        }
    }

    /// <summary>The training thread's name, which its Torch worker threads share (Linux shows 15 characters).</summary>
    public static string TrainingThreadName(int runId) => $"Training {runId}";
}
