using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Data;

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
    RunLifecycle lifecycle,
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
            // Another node got there first, or the worker came back.
            if (!await lifecycle.InterruptLostAsync(run.Id, run.HeartbeatAt, message, ct)) continue;
            log.LogWarning("Run {RunId}: {Message}", run.Id, message);
            await lifecycle.AutoResumeAsync(run.Id, "its worker stopped answering", ct);
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
