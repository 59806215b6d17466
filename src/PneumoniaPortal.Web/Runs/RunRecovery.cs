using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Training.Native;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// At start: loads TorchSharp's native runtime (patching it on hosts whose libstdc++ is too old), marks runs that a
/// previous process left Running as Interrupted (they resume from their last checkpoint), and re-queues runs that
/// were waiting in the in-memory queue.
/// </summary>
public sealed class RunRecovery(
    IDbContextFactory<PortalDbContext> dbFactory,
    IBackgroundJobClient jobs,
    RunLifecycle lifecycle,
    IOptions<TrainingOptions> options,
    ILogger<RunRecovery> log) : IPortalStartupStep
{
    public async Task RunAsync(CancellationToken ct)
    {
        var native = TorchRuntime.EnsureReady();
        TrainingQueues.Local = native.HasCuda ? TrainingQueues.Gpu : TrainingQueues.Cpu;
        log.LogInformation("TorchSharp ready ({Native}); training device {Device}", native, native.Device);

        // With several nodes sharing one database, only the single-machine set-up may assume it owns every run.
        if (!options.Value.Worker || options.Value.Storage != "memory") return;
        var cutOff = await lifecycle.InterruptCutOffAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = await db.Runs.Where(r => r.Status == RunStatus.Queued).ToListAsync(ct);
        foreach (var run in waiting.OrderBy(r => r.QueuedAt))
            run.JobId = TrainingJob.Enqueue(jobs, run);
        await db.SaveChangesAsync(ct);
        if (cutOff + waiting.Count > 0)
            log.LogInformation("Start-up: {Interrupted} runs marked Interrupted, {Requeued} queued runs queued again", cutOff, waiting.Count);
    }
}
