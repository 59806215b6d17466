using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// The test images leaderboards hold back, by content: every image whose bytes (MD5) a leaderboard holds back is held
/// back in every data set that contains it, so importing the same files again, or a copy under another name, shows a
/// student nothing. Their labels, paths and count never leave the server; only the leaderboard scorer reads them.
/// Held-back images are stored with the leaderboard (<see cref="HeldBackImage"/>); each question asks the database
/// which leaderboards exist (one made on another node counts at once) and reuses what it computed for the same set.
/// </summary>
public sealed class HeldOutImages(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>What all leaderboards hold back: MD5 to the titles of the boards holding it.</summary>
    sealed record Held(string Key, IReadOnlyDictionary<string, string> Titles);

    sealed record InCatalog(Held Held, IReadOnlySet<string> Paths);

    volatile Held _held = new("", new Dictionary<string, string>());
    readonly ConditionalWeakTable<ImageCatalog, InCatalog> _catalogs = new();

    /// <summary>Relative paths of the images of <paramref name="catalog"/> whose content some leaderboard holds back.</summary>
    /// <remarks>The same set object is handed out while nothing changes (the doubtful queue compares it by reference).</remarks>
    public async Task<IReadOnlySet<string>> PathsAsync(ImageCatalog catalog, CancellationToken ct = default)
    {
        // Every label version of a data set has the same files: one set for all of them.
        catalog = catalog.Original;
        var held = await CurrentAsync(ct);
        if (_catalogs.TryGetValue(catalog, out var known) && ReferenceEquals(known.Held, held)) return known.Paths;
        IReadOnlySet<string> paths = held.Titles.Count == 0
            ? Empty
            : catalog.Images.Where(i => held.Titles.ContainsKey(i.Md5.ToLowerInvariant())).Select(i => i.RelativePath).ToHashSet(StringComparer.Ordinal);
        _catalogs.AddOrUpdate(catalog, new InCatalog(held, paths));
        return paths;
    }

    /// <summary>Whether some leaderboard holds back the file with this content (lower-case hex MD5).</summary>
    public async Task<bool> HoldsBackAsync(string md5, CancellationToken ct = default) =>
        (await CurrentAsync(ct)).Titles.ContainsKey(md5.ToLowerInvariant());

    /// <summary>For instructors: which leaderboard(s) hold back each held-back image of the catalog, by relative path.</summary>
    public async Task<IReadOnlyDictionary<string, string>> HoldersAsync(ImageCatalog catalog, CancellationToken ct = default)
    {
        var held = await CurrentAsync(ct);
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in catalog.Original.Images)
            if (held.Titles.TryGetValue(image.Md5.ToLowerInvariant(), out var titles)) holders[image.RelativePath] = titles;
        return holders;
    }

    /// <summary>The public and private halves of one leaderboard, as stored when it was made (no data set is opened).</summary>
    public async Task<LeaderboardImages> ImagesOfAsync(int leaderboardId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.HeldBackImages.AsNoTracking().Where(h => h.LeaderboardId == leaderboardId).ToListAsync(ct);
        ImageRecord Record(HeldBackImage h) => new(h.RelativePath, Split.Test, h.Label, "", 0, 0, h.Md5, 0);
        return new LeaderboardImages(
            rows.Where(h => !h.IsPrivate).OrderBy(h => h.RelativePath, StringComparer.Ordinal).Select(Record).ToList(),
            rows.Where(h => h.IsPrivate).OrderBy(h => h.RelativePath, StringComparer.Ordinal).Select(Record).ToList());
    }

    /// <summary>The rows that store a leaderboard's halves (labels as imported, so relabelling never moves an image in or out).</summary>
    public static IEnumerable<HeldBackImage> Rows(LeaderboardImages halves) =>
        halves.Public.Select(i => (Image: i, IsPrivate: false)).Concat(halves.Private.Select(i => (Image: i, IsPrivate: true)))
            .Select(x => new HeldBackImage
            {
                RelativePath = x.Image.RelativePath, Md5 = x.Image.Md5.ToLowerInvariant(), Label = x.Image.Label, IsPrivate = x.IsPrivate,
            });

    /// <summary>What is held back now: read again only when the set of leaderboards changed.</summary>
    async Task<Held> CurrentAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One round trip per question (every student thumbnail asks). A board and its images are stored in one
        // transaction; the counts also see images stored later for old boards.
        var boards = await db.Leaderboards.AsNoTracking().OrderBy(l => l.Id).Select(l => new { l.Id, l.Title, Images = l.HeldBack.Count() }).ToListAsync(ct);
        var key = string.Join(";", boards.Select(b => $"{b.Id}:{b.Images}:{b.Title}"));
        var held = _held;
        if (held.Key == key) return held;
        var titles = boards.ToDictionary(b => b.Id, b => b.Title);
        var rows = boards.Count == 0 ? [] : await db.HeldBackImages.AsNoTracking().Select(h => new { h.Md5, h.LeaderboardId }).ToListAsync(ct);
        var byMd5 = rows.GroupBy(r => r.Md5)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(r => titles.GetValueOrDefault(r.LeaderboardId, "")).Where(t => t.Length > 0).Distinct()));
        return _held = new Held(key, byMd5);
    }

    static readonly IReadOnlySet<string> Empty = new HashSet<string>();
}
