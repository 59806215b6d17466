using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Datasets;

namespace PneumoniaPortal.Web.Training;

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
    ILogger<TrainingJob> log)
{
    /// <summary>Puts the run on its device's queue; returns the Hangfire job id.</summary>
    public static string Enqueue(Hangfire.IBackgroundJobClient jobs, TrainingRun run) =>
        jobs.Create<TrainingJob>(j => j.Run(run.Id, CancellationToken.None), new Hangfire.States.EnqueuedState(run.Queue));

    [Hangfire.AutomaticRetry(Attempts = 0)]
    public void Run(int runId, CancellationToken stopping)
    {
        TrainingRun run;
        using (var db = dbFactory.CreateDbContext())
        {
            run = db.Runs.Single(r => r.Id == runId);
            if (run.Status != RunStatus.Queued) return; // cancelled while queued, or already done
            if (run.CancelRequested) { Finish(runId, RunStatus.Cancelled, "Cancelled before it started.", null); return; }
            run.Status = RunStatus.Running;
            run.StartedAt ??= DateTimeOffset.UtcNow;
            run.Message = "Starting";
            db.SaveChanges();
        }
        Status(run, RunStatus.Running, "Starting");

        using var cts = cancellation.Register(runId, stopping);
        using var poll = PollForCancel(runId, cts);
        ImageCatalog? ownCatalog = null, relabelled = null;
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
            var lastBatchReport = Stopwatch.StartNew();
            var trainer = new Trainer(config, catalog, Path.Combine(paths.RunsDirectory, run.Folder), new TrainerOptions
            {
                RunId = runId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                CacheDirectory = paths.CacheDirectory,
                Epochs = new Inline<EpochMetrics>(m => OnEpoch(run, m)),
                Messages = new Inline<string>(text =>
                {
                    SetMessage(runId, text);
                    Status(run, RunStatus.Running, text);
                }),
                Batches = new Inline<BatchProgress>(b =>
                {
                    // A few updates a second is plenty for a progress bar.
                    if (lastBatchReport.ElapsedMilliseconds < 500 && b.Batch != b.Batches) return;
                    lastBatchReport.Restart();
                    _ = notifier.StatusAsync(new RunStatusMessage(runId, nameof(RunStatus.Running), null, b.Epoch - 1, run.EpochsPlanned, b.Epoch, b.Batch, b.Batches, b.ImagesPerSecond));
                }),
            });
            var record = trainer.Run(cts.Token);
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
        catch (OperationCanceledException)
        {
            var requested = IsCancelRequested(runId);
            Finish(runId, requested ? RunStatus.Cancelled : RunStatus.Interrupted,
                requested ? "Cancelled; finished epochs are kept." : "Interrupted by a server stop; resume it to continue from the last finished epoch.", null);
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
        }
    }

    void OnEpoch(TrainingRun run, EpochMetrics m)
    {
        var live = LiveEpoch.From(m);
        using (var db = dbFactory.CreateDbContext())
        {
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
        }
        notifier.EpochAsync(run.Id, live).GetAwaiter().GetResult();
        Status(run, RunStatus.Running, $"Finished epoch {m.Epoch} of {run.EpochsPlanned}", m.Epoch);
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
        using var db = dbFactory.CreateDbContext();
        var row = db.Runs.Single(r => r.Id == runId);
        row.Status = status;
        row.Message = message;
        row.Error = error;
        row.FinishedAt = DateTimeOffset.UtcNow;
        db.SaveChanges();
        notifier.StatusAsync(new RunStatusMessage(runId, status.ToString(), message, row.EpochsDone, row.EpochsPlanned, Error: error)).GetAwaiter().GetResult();
        log.LogInformation("Run {RunId} ended {Status}: {Message} {Error}", runId, status, message, error);
    }

    /// <summary>A cancel pressed on another portal node only reaches this worker through the database.</summary>
    Timer PollForCancel(int runId, CancellationTokenSource cts)
    {
        var period = TimeSpan.FromSeconds(Math.Max(0.2, options.Value.CancelPollSeconds));
        return new Timer(_ =>
        {
            try
            {
                if (!cts.IsCancellationRequested && IsCancelRequested(runId)) cts.Cancel();
            }
            catch (ObjectDisposedException) { }
            catch (Exception e) { log.LogWarning(e, "Checking run {RunId} for a cancel failed", runId); }
        }, null, period, period);
    }

    /// <summary>Reports on the trainer's own thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
