using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Datasets;

/// <summary>The data set everyone currently works on, with its catalog and statistics held in memory.</summary>
public sealed record ActiveDataset(int Id, string Name, ImageCatalog Catalog, DatasetStatistics Statistics);

/// <summary>
/// Knows which data set is active: the one named by <c>Dataset:Path</c>, else the last one imported in the UI, else the
/// attributed sample shipped with the portal. Loads its catalog once and keeps it.
/// </summary>
public sealed class DatasetService(IDbContextFactory<PortalDbContext> dbFactory, PortalPaths paths, IConfiguration config, ILogger<DatasetService> log)
    : IPortalStartupStep, IDisposable
{
    readonly SemaphoreSlim _gate = new(1, 1);
    ActiveDataset? _active;

    public const string SampleName = "Shipped sample (220 images)";

    public async Task RunAsync(CancellationToken ct) => await GetActiveAsync(ct);

    public async Task<ActiveDataset> GetActiveAsync(CancellationToken ct = default)
    {
        if (_active is { } ready) return ready;
        await _gate.WaitAsync(ct);
        try
        {
            return _active ??= await LoadActiveAsync(ct);
        }
        finally { _gate.Release(); }
    }

    async Task<ActiveDataset> LoadActiveAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var configured = config["Dataset:Path"];
        ImportedDataset? row;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured, paths.ContentRoot);
            row = await db.Datasets.FirstOrDefaultAsync(d => d.Path == full, ct)
                ?? db.Datasets.Add(new ImportedDataset { Name = Path.GetFileName(full.TrimEnd('/')), Path = full, Origin = "configuration" }).Entity;
        }
        else
        {
            row = await db.Datasets.Where(d => d.IsActive).OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
            if (row is null)
            {
                var sample = SamplePath(paths);
                row = await db.Datasets.FirstOrDefaultAsync(d => d.Path == sample, ct)
                    ?? db.Datasets.Add(new ImportedDataset { Name = SampleName, Path = sample, Origin = "sample shipped with the portal" }).Entity;
            }
        }
        var started = DateTime.UtcNow;
        var catalog = DatasetImporter.Open(row.Path, ct: ct);
        var stats = DatasetStatistics.From(catalog);
        foreach (var other in await db.Datasets.Where(d => d.IsActive && d.Id != row.Id).ToListAsync(ct)) other.IsActive = false;
        row.IsActive = true;
        row.ImageCount = catalog.Count;
        row.Fingerprint = catalog.Fingerprint;
        await db.SaveChangesAsync(ct);
        log.LogInformation("Data set '{Name}' ({Count} images) from {Path} loaded in {Seconds:F1} s", row.Name, catalog.Count, row.Path, (DateTime.UtcNow - started).TotalSeconds);
        return new ActiveDataset(row.Id, row.Name, catalog, stats);
    }

    /// <summary>The 220-image attributed sample: copied next to the binaries, or in the repository when run from source.</summary>
    public static string SamplePath(PortalPaths paths)
    {
        foreach (var candidate in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "sample-data", "chest_xray_sample"),
                     Path.Combine(paths.ContentRoot, "..", "sample-data", "chest_xray_sample"),
                 })
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        throw new DirectoryNotFoundException("The sample data set shipped with the portal is missing (sample-data/chest_xray_sample).");
    }

    public void Dispose()
    {
        _active?.Catalog.Dispose();
        _gate.Dispose();
    }
}
