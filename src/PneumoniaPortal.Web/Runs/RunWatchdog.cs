using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Scale;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// Runs on every node: a Running run whose worker stopped writing its heartbeat (killed, machine gone) becomes
/// Interrupted and, unless it already came back too often, goes back on the queue, so the next worker resumes it
/// from its last checkpoint. Also queues runs whose start was cut off between saving the run and queueing its job.
/// Every change is a conditional update, so several nodes watching at once act on a run once.
/// </summary>
public sealed class RunWatchdog(
    IDbContextFactory<PortalDbContext> dbFactory,
    IBackgroundJobClient jobs,
    RunNotifier notifier,
    IOptions<TrainingOptions> options,
    ILogger<RunWatchdog> log) : BackgroundService
{
    /// <summary>A queued run without a job this long after it was queued lost its job to a failure mid-start.</summary>
    static readonly TimeSpan Unqueued = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var period = TimeSpan.FromSeconds(Math.Clamp(options.Value.LostAfterSeconds / 3, 1, 30));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try { await CheckAsync(stopping); }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested) { return; }
            // The database may be down for a while; the next tick tries again.
            catch (Exception e) { log.LogWarning("Checking for lost runs failed: {Error}", e.Message); }
        }
    }

    public async Task CheckAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var cutOff = now - TimeSpan.FromSeconds(options.Value.LostAfterSeconds);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lost = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && r.HeartbeatAt != null && r.HeartbeatAt < cutOff)
            .Select(r => new { r.Id, r.Worker, r.HeartbeatAt, r.EpochsDone })
            .ToListAsync(ct);
        foreach (var run in lost)
        {
            var message = $"Interrupted after {run.EpochsDone} finished epochs: its worker ({run.Worker ?? "unknown"}) stopped answering at {run.HeartbeatAt:HH:mm:ss} UTC.";
            var taken = await db.Runs
                .Where(r => r.Id == run.Id && r.Status == RunStatus.Running && r.HeartbeatAt == run.HeartbeatAt)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RunStatus.Interrupted)
                    .SetProperty(r => r.Message, message)
                    .SetProperty(r => r.Worker, (string?)null)
                    .SetProperty(r => r.FinishedAt, now), ct);
            if (taken == 0) continue; // another node got there first, or the worker came back
            log.LogWarning("Run {RunId}: {Message}", run.Id, message);
            await RunRequeue.AfterInterruptionAsync(db, jobs, notifier, options.Value, run.Id, "its worker stopped answering", ct);
        }

        var stranded = now - Unqueued;
        var unqueued = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Queued && r.JobId == null && r.QueuedAt < stranded)
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in unqueued)
        {
            var claim = $"requeue-{Guid.NewGuid():N}";
            if (await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued && r.JobId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.JobId, claim), ct) == 0) continue;
            var run = await db.Runs.SingleAsync(r => r.Id == id, ct);
            run.JobId = TrainingJob.Enqueue(jobs, run);
            await db.SaveChangesAsync(ct);
            log.LogWarning("Run {RunId} was saved as queued but had no job (its start was cut off); queued it", id);
        }
    }
}

/// <summary>Puts an interrupted run back on the queue by itself, within <see cref="TrainingOptions.MaxAutoResumes"/>.</summary>
public static class RunRequeue
{
    public static async Task AfterInterruptionAsync(
        PortalDbContext db, IBackgroundJobClient jobs, RunNotifier notifier, TrainingOptions options, int runId, string why, CancellationToken ct)
    {
        var run = await db.Runs.SingleAsync(r => r.Id == runId, ct);
        if (run.Status != RunStatus.Interrupted || run.CancelRequested) return;
        if (!options.ResumeLostRuns || run.AutoResumes >= options.MaxAutoResumes)
        {
            if (options.ResumeLostRuns)
                run.Message += $" It was already resumed {run.AutoResumes} times by itself; resume it by hand to try again.";
            await db.SaveChangesAsync(ct);
            await notifier.StatusAsync(new RunStatusMessage(run.Id, run.Status.ToString(), run.Message, run.EpochsDone, run.EpochsPlanned));
            return;
        }
        await notifier.StatusAsync(new RunStatusMessage(run.Id, run.Status.ToString(), run.Message, run.EpochsDone, run.EpochsPlanned));
        run.AutoResumes++;
        if (!await TrainingJob.RequeueAsync(db, jobs, notifier, options, run, $"Queued again to resume after epoch {run.EpochsDone} ({why}).", ct))
        {
            run.Message += " Its owner has as many runs queued or running as allowed; it waits to be resumed by hand.";
            await db.SaveChangesAsync(ct);
            await notifier.StatusAsync(new RunStatusMessage(run.Id, run.Status.ToString(), run.Message, run.EpochsDone, run.EpochsPlanned));
        }
    }
}
