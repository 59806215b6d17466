using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>
/// Hashes the active data set in the background after start and after each import, so the first visitor of the queue
/// does not wait (<c>Relabelling:HashOnStart=false</c> leaves it to the first visitor, e.g. to time it).
/// </summary>
public sealed class NearDuplicateWarmup(DatasetService datasets, NearDuplicateIndex index, Microsoft.Extensions.Options.IOptions<RelabellingOptions> options, Scale.PortalRole role, ILogger<NearDuplicateWarmup> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only nodes that serve the doubtful queue need the hashes; a worker node would spend its cores for nothing.
        if (!role.ServesUsers || !options.Value.HashOnStart) return;
        datasets.ActiveChanged += OnActiveChanged;
        try
        {
            await Task.Yield();
            await index.GetAsync((await datasets.GetActiveAsync(stoppingToken)).Catalog, stoppingToken);
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            log.LogWarning(e, "Hashing the active data set for near-duplicates failed; the doubtful queue will try again");
        }
    }

    void OnActiveChanged(ActiveDataset active) => _ = index.GetAsync(active.Catalog).ContinueWith(
        t => log.LogWarning(t.Exception, "Hashing data set {Name} for near-duplicates failed", active.Name), TaskContinuationOptions.OnlyOnFaulted);

    public override void Dispose()
    {
        datasets.ActiveChanged -= OnActiveChanged;
        base.Dispose();
    }
}
