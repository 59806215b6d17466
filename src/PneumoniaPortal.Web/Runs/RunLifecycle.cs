using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Scale;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// The one owner of a run's life (docs/architecture.md, "A run's life"): every change of a run's status, with the
/// message stored and the notification sent for it, is made here, and <see cref="Transitions"/> says which changes
/// exist. Workers claim, record epochs and finish; owners cancel and resume; the watchdog and the start-up recovery
/// interrupt; an interrupted run is queued again by itself. Each change is one conditional update (or one write of a
/// row read in the same context) plus one notification.
/// </summary>
public sealed class RunLifecycle(
    IDbContextFactory<PortalDbContext> dbFactory,
    RunNotifier notifier,
    RunCancellation cancellation,
    IBackgroundJobClient jobs,
    IOptions<TrainingOptions> options,
    ILogger<RunLifecycle> log)
{
    /// <summary>The statuses a run may go to from each status; Succeeded is the end.</summary>
    public static readonly IReadOnlyDictionary<RunStatus, IReadOnlyList<RunStatus>> Transitions = new Dictionary<RunStatus, IReadOnlyList<RunStatus>>
    {
        // Claimed by a worker, or cancelled before it started.
        [RunStatus.Queued] = [RunStatus.Running, RunStatus.Cancelled],
        // Trained to the end; stopped by an error, a cancel, or its worker stopping or going silent.
        [RunStatus.Running] = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Interrupted],
        // Resumed by its owner (or, interrupted, by itself) from its last finished epoch.
        [RunStatus.Interrupted] = [RunStatus.Queued],
        [RunStatus.Cancelled] = [RunStatus.Queued],
        [RunStatus.Failed] = [RunStatus.Queued],
        [RunStatus.Succeeded] = [],
    };

    public static bool MayGo(RunStatus from, RunStatus to) => Transitions[from].Contains(to);

    /// <summary>
    /// Queued → Running for this worker, in one conditional update: of two workers handed the same run, one trains it.
    /// Null when the run is not to be trained here (cancelled while queued, already done, or another worker's).
    /// </summary>
    public RunClaim? Claim(int runId, string worker)
    {
        TrainingRun run;
        using (var db = dbFactory.CreateDbContext())
        {
            var now = DateTimeOffset.UtcNow;
            var claimed = db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued && !r.CancelRequested)
                .ExecuteUpdate(s => s
                    .SetProperty(r => r.Status, RunStatus.Running)
                    .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                    .SetProperty(r => r.Worker, worker)
                    .SetProperty(r => r.ClaimNumber, r => r.ClaimNumber + 1)
                    .SetProperty(r => r.HeartbeatAt, now)
                    .SetProperty(r => r.Message, "Starting"));
            run = db.Runs.AsNoTracking().Single(r => r.Id == runId);
            if (claimed == 0)
            {
                if (run is { Status: RunStatus.Queued, CancelRequested: true })
                    Finish(runId, worker, null, RunStatus.Cancelled, "Cancelled before it started.", null);
                return null;
            }
        }
        Notify(run, RunStatus.Running, "Starting");
        return new RunClaim(run, run.ClaimNumber, worker);
    }

    /// <summary>What the trainer says while it runs (already without held-back paths): stored and sent.</summary>
    public void Say(RunClaim claim, string text)
    {
        using (var db = dbFactory.CreateDbContext())
            db.Runs.Where(r => r.Id == claim.Run.Id).ExecuteUpdate(s => s.SetProperty(r => r.Message, text));
        Notify(claim.Run, RunStatus.Running, text);
    }

    /// <summary>Where training is inside an epoch, for the progress bar: sent, not stored.</summary>
    public void Progress(RunClaim claim, BatchProgress b) =>
        _ = notifier.StatusAsync(new RunStatusMessage(claim.Run.Id, nameof(RunStatus.Running), null, b.Epoch - 1, claim.Run.EpochsPlanned, b.Epoch, b.Batch, b.Batches, b.ImagesPerSecond));

    /// <summary>A finished epoch: its row and the run's summary in one transaction (waiting out a database outage), then sent.</summary>
    public void RecordEpoch(RunClaim claim, EpochMetrics m)
    {
        var run = claim.Run;
        var live = LiveEpoch.From(m);
        Patiently(() =>
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
        Notify(run, RunStatus.Running, $"Finished epoch {m.Epoch} of {run.EpochsPlanned}", m.Epoch);
    }

    /// <summary>What the finished training says about itself (device, size, test figures), before it is finished.</summary>
    public void RecordResults(int runId, RunRecord record)
    {
        using var db = dbFactory.CreateDbContext();
        var row = db.Runs.Single(r => r.Id == runId);
        row.Device = record.Device;
        row.Parameters = record.Parameters;
        row.TestAccuracy = record.Test?.Evaluation.Accuracy;
        row.TestAuc = record.Test?.Evaluation.Auc;
        db.SaveChanges();
    }

    /// <summary>The end of a claimed run's training: Succeeded, Failed, Cancelled or Interrupted.</summary>
    public void Finish(RunClaim claim, RunStatus status, string? message, string? error) =>
        Finish(claim.Run.Id, claim.Worker, claim.Number, status, message, error);

    /// <summary>Written only while the run is still this worker's (no other worker's name, not a later claim).</summary>
    void Finish(int runId, string worker, int? claimNumber, RunStatus status, string? message, string? error)
    {
        TrainingRun? row = null;
        Patiently(() =>
        {
            using var db = dbFactory.CreateDbContext();
            row = db.Runs.Single(r => r.Id == runId);
            // Another worker trains it now (another name, or a later claim of the same process).
            if ((row.Worker is not null && row.Worker != worker) || (claimNumber is { } claim && row.ClaimNumber != claim)) { row = null; return; }
            row.Status = status;
            row.Worker = null;
            row.Message = message;
            row.Error = error;
            row.FinishedAt = DateTimeOffset.UtcNow;
            db.SaveChanges();
        });
        if (row is null) return;
        notifier.StatusAsync(RunStatusMessage.Of(row)).GetAwaiter().GetResult();
        log.LogInformation("Run {RunId} ended {Status}: {Message} {Error}", runId, status, message, error);
    }

    /// <summary>
    /// Stops a queued or running run (the caller checked who may): a queued one is cancelled at once; a running one is
    /// told to stop, here and through the heartbeat on another node, and stops within one batch keeping its epochs.
    /// Each is one conditional update, so a worker claiming the run at the same moment either finds it cancelled or
    /// holds it with the cancel asked for (its heartbeat stops it), never trains a run its page shows as cancelled.
    /// </summary>
    public async Task CancelAsync(int runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var wasQueued = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.CancelRequested, true)
            .SetProperty(r => r.Status, RunStatus.Cancelled)
            .SetProperty(r => r.Message, "Cancelled before it started.")
            .SetProperty(r => r.FinishedAt, now), ct) == 1;
        if (!wasQueued && await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.CancelRequested, true)
                .SetProperty(r => r.Message, "Cancelling…"), ct) == 0)
        {
            var ended = await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(ct);
            throw Refusal.Invalid($"The run has already ended ({ended}).");
        }
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        if (wasQueued && run.JobId is not null) jobs.Delete(run.JobId);
        cancellation.Cancel(runId);
        await notifier.StatusAsync(RunStatusMessage.Of(run));
    }

    /// <summary>
    /// Queues a stopped run again by its owner's (or an instructor's) resume, to continue after its last finished
    /// epoch; false (nothing changed) when a student's quota has no free slot.
    /// </summary>
    public async Task<bool> ResumeAsync(int runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.Runs.SingleAsync(r => r.Id == runId, ct);
        if (!MayGo(run.Status, RunStatus.Queued))
            throw Refusal.Invalid($"Only interrupted, cancelled or failed runs can be resumed; this one is {run.Status}.");
        return await RequeueAsync(db, run, $"Queued to resume after epoch {run.EpochsDone}", ct);
    }

    /// <summary>
    /// Running → Interrupted for a run whose worker stopped answering (the heartbeat it was seen with is the condition,
    /// so of several nodes watching one acts); true when this call did it.
    /// </summary>
    public async Task<bool> InterruptLostAsync(int runId, DateTimeOffset? seenHeartbeat, string message, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var taken = await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Running && r.HeartbeatAt == seenHeartbeat)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Interrupted)
                .SetProperty(r => r.Message, message)
                .SetProperty(r => r.Worker, (string?)null)
                .SetProperty(r => r.FinishedAt, now), ct);
        return taken > 0;
    }

    /// <summary>Running → Interrupted for every run a previous process of a single-machine portal left training; how many.</summary>
    public async Task<int> InterruptCutOffAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cutOff = await db.Runs.Where(r => r.Status == RunStatus.Running).ToListAsync(ct);
        foreach (var run in cutOff)
        {
            run.Status = RunStatus.Interrupted;
            run.Message = $"Interrupted by a server restart after {run.EpochsDone} finished epochs; resume it to continue.";
            run.FinishedAt = DateTimeOffset.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        return cutOff.Count;
    }

    /// <summary>
    /// Interrupted → Queued by itself (its worker was stopped or went silent), within
    /// <see cref="TrainingOptions.MaxAutoResumes"/> and its owner's quota; otherwise it waits for its owner, and says why.
    /// </summary>
    public async Task AutoResumeAsync(int runId, string why, CancellationToken ct)
    {
        var limits = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.Runs.SingleAsync(r => r.Id == runId, ct);
        if (run.Status != RunStatus.Interrupted || run.CancelRequested) return;
        if (!limits.ResumeLostRuns || run.AutoResumes >= limits.MaxAutoResumes)
        {
            if (limits.ResumeLostRuns)
                run.Message += $" It was already resumed {run.AutoResumes} times by itself; resume it by hand to try again.";
            await db.SaveChangesAsync(ct);
            await notifier.StatusAsync(RunStatusMessage.Of(run));
            return;
        }
        await notifier.StatusAsync(RunStatusMessage.Of(run));
        run.AutoResumes++;
        if (!await RequeueAsync(db, run, $"Queued again to resume after epoch {run.EpochsDone} ({why}).", ct))
        {
            run.Message += " Its owner has as many runs queued or running as allowed; it waits to be resumed by hand.";
            await db.SaveChangesAsync(ct);
            await notifier.StatusAsync(RunStatusMessage.Of(run));
        }
    }

    /// <summary>
    /// → Queued, to continue after the last finished epoch. A student's run takes a free quota slot again (runs stored
    /// before slots existed too); false (and nothing changed) when none is free.
    /// </summary>
    async Task<bool> RequeueAsync(PortalDbContext db, TrainingRun run, string message, CancellationToken ct)
    {
        var slot = run.QuotaSlot;
        var needsSlot = slot is not null || !await QuotaSlots.IsStaffAsync(db, run.OwnerId, ct);
        for (var attempt = 1; ; attempt++)
        {
            if (needsSlot && (run.QuotaSlot = await QuotaSlots.FreeAsync(db, run.OwnerId, options.Value.MaxQueuedRunsPerStudent, run.Id, ct)) is null)
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
        run.JobId = TrainingJob.Enqueue(jobs, run);
        await db.SaveChangesAsync(ct);
        await notifier.StatusAsync(RunStatusMessage.Of(run));
        return true;
    }

    /// <summary>
    /// Retries a write through a brief database outage: the epoch it records is already trained and checkpointed.
    /// Gives up after a few minutes; the run is then found by the lost-run watchdog once the database is back.
    /// </summary>
    public void Patiently(Action write)
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

    void Notify(TrainingRun run, RunStatus status, string? message, int? epochsDone = null) =>
        _ = notifier.StatusAsync(new RunStatusMessage(run.Id, status.ToString(), message, epochsDone ?? run.EpochsDone, run.EpochsPlanned));
}
