using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// The test images that leaderboards hold back: their labels (and paths, which name the label in the Kaggle layout)
/// never leave the server. Run results, the explorer and downloads leave them out for everyone; only the leaderboard
/// scorer reads them. Asks the database every time (a leaderboard created on another node counts at once) and
/// caches the chosen images per leaderboard settings.
/// </summary>
public sealed class HeldOutImages(IDbContextFactory<PortalDbContext> dbFactory)
{
    readonly ConcurrentDictionary<string, IReadOnlySet<string>> _sets = new();
    readonly ConcurrentDictionary<(int Id, double Fraction, int Seed, string Fingerprint), LeaderboardImages> _boards = new();

    /// <summary>Relative paths of every image some leaderboard on this data set holds back.</summary>
    public async Task<IReadOnlySet<string>> PathsAsync(int datasetId, ImageCatalog catalog, CancellationToken ct = default)
    {
        // Chosen on the labels as imported, so relabelling never moves an image in or out of a leaderboard.
        catalog = catalog.Original;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var boards = await db.Leaderboards.AsNoTracking().Where(l => l.DatasetId == datasetId).OrderBy(l => l.Id).ToListAsync(ct);
        if (boards.Count == 0) return EmptySet;
        var key = $"{datasetId}|{catalog.Fingerprint}|" + string.Join(";", boards.Select(b => $"{b.Id}:{b.HeldOutFraction}:{b.Seed}"));
        return _sets.GetOrAdd(key, _ => boards.SelectMany(b => ImagesOf(b, catalog).All).Select(i => i.RelativePath).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>For instructors: which leaderboard(s) hold back each held-back image, by relative path.</summary>
    public async Task<IReadOnlyDictionary<string, string>> HoldersAsync(int datasetId, ImageCatalog catalog, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var boards = await db.Leaderboards.AsNoTracking().Where(l => l.DatasetId == datasetId).OrderBy(l => l.Id).ToListAsync(ct);
        return boards
            .SelectMany(b => ImagesOf(b, catalog).All.Select(i => (i.RelativePath, b.Title)))
            .GroupBy(x => x.RelativePath, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(x => x.Title).Distinct()), StringComparer.Ordinal);
    }

    /// <summary>The public and private halves of one leaderboard, on the catalog of its data set.</summary>
    public LeaderboardImages ImagesOf(Leaderboard board, ImageCatalog catalog) =>
        _boards.GetOrAdd((board.Id, board.HeldOutFraction, board.Seed, catalog.Original.Fingerprint),
            _ => LeaderboardSplit.Choose(catalog.Original.Images, board.HeldOutFraction, board.Seed));

    static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();
}
