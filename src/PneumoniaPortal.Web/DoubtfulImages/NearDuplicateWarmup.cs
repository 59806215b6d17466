using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>
/// Hashes the portal's default data set in the background after start, and each data set that changed (made default,
/// imported again), so the first visitor of the queue does not wait; a class's own set is hashed by its first visitor (<c>Relabelling:HashOnStart=false</c> leaves it to the first visitor, e.g. to time it).
/// </summary>
public sealed class NearDuplicateWarmup(DatasetService datasets, NearDuplicateIndex index, Microsoft.Extensions.Options.IOptions<RelabellingOptions> options, Scale.PortalRole role, ILogger<NearDuplicateWarmup> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only nodes that serve the doubtful queue need the hashes; a worker node would spend its cores for nothing.
        if (!role.ServesUsers || !options.Value.HashOnStart) return;
        datasets.Changed += OnChanged;
        try
        {
            await Task.Yield();
            await index.GetAsync((await datasets.GetDefaultAsync(stoppingToken)).Catalog, stoppingToken);
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            log.LogWarning(e, "Hashing the default data set for near-duplicates failed; the doubtful queue will try again");
        }
    }

    void OnChanged(LoadedDataset active) => _ = index.GetAsync(active.Catalog).ContinueWith(
        t => log.LogWarning(t.Exception, "Hashing data set {Name} for near-duplicates failed", active.Name), TaskContinuationOptions.OnlyOnFaulted);

    public override void Dispose()
    {
        datasets.Changed -= OnChanged;
        base.Dispose();
    }
}
