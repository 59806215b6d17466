using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Scale;

/// <summary>
/// Keeps this node's in-memory data set in step with the shared database: a data set imported or relabelled through
/// another node shows here within <c>Portal:SyncSeconds</c> (default 5).
/// </summary>
public sealed class NodeSync(DatasetService datasets, Microsoft.Extensions.Options.IOptions<PortalOptions> portal, ILogger<NodeSync> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var seconds = portal.Value.SyncSeconds;
        if (seconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try { await datasets.FollowAsync(stopping); }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogWarning("Following data set changes from other nodes failed: {Error}", e.Message); }
        }
    }
}
