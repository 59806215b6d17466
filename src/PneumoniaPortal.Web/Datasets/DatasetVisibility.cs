using System.Runtime.CompilerServices;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Datasets;

/// <summary>
/// The active data set as one viewer may see it. Students never see the test images a leaderboard holds back (their
/// paths name their label): they are left out of the gallery, the image endpoints and the statistics. Instructors and
/// admins see them, each marked with the leaderboard that holds it back.
/// </summary>
public sealed record VisibleDataset(ActiveDataset Dataset, IReadOnlySet<int> Hidden, IReadOnlyDictionary<int, string> HeldBackFor, DatasetStatistics Statistics)
{
    public int Count => Dataset.Catalog.Count - Hidden.Count;
    /// <summary>Every image visible, nothing marked.</summary>
    public static VisibleDataset Everything(ActiveDataset dataset) => new(dataset, new HashSet<int>(), new Dictionary<int, string>(), dataset.Statistics);

    public bool CanSee(int index) => index >= 0 && index < Dataset.Catalog.Count && !Hidden.Contains(index);
}

/// <summary>Builds <see cref="VisibleDataset"/>; the statistics without held-back images are computed once per set of held-back images.</summary>
public sealed class DatasetVisibility(DatasetService datasets, HeldOutImages heldOut)
{
    // Per catalog (each label version is its own catalog), for the held-back set HeldOutImages handed out last
    // (one instance per data set and leaderboards): rebuilt only when either changes.
    static readonly ConditionalWeakTable<ImageCatalog, StudentView> StudentViews = new();

    sealed record StudentView(IReadOnlySet<string> Paths, IReadOnlySet<int> Hidden, DatasetStatistics Statistics);

    /// <summary>Whether this viewer may be served the image at this position (cheap: for every thumbnail request).</summary>
    public async Task<bool> CanSeeAsync(Viewer viewer, ActiveDataset active, int index, CancellationToken ct = default)
    {
        if (index < 0 || index >= active.Catalog.Count) return false;
        if (viewer.IsStaff) return true;
        return !(await heldOut.PathsAsync(active.Id, active.Catalog, ct)).Contains(active.Catalog.Images[index].RelativePath);
    }

    public async Task<VisibleDataset> ForAsync(Viewer viewer, CancellationToken ct = default) =>
        await ForAsync(viewer, await datasets.GetActiveAsync(ct), ct);

    public async Task<VisibleDataset> ForAsync(Viewer viewer, ActiveDataset active, CancellationToken ct = default)
    {
        if (viewer.IsStaff)
        {
            var holders = await heldOut.HoldersAsync(active.Id, active.Catalog, ct);
            var marked = holders
                .Select(h => (Index: active.IndexOf(h.Key), Title: h.Value))
                .Where(h => h.Index is not null)
                .ToDictionary(h => h.Index!.Value, h => h.Title);
            return new VisibleDataset(active, new HashSet<int>(), marked, active.Statistics);
        }
        var paths = await heldOut.PathsAsync(active.Id, active.Catalog, ct);
        if (paths.Count == 0) return new VisibleDataset(active, new HashSet<int>(), new Dictionary<int, string>(), active.Statistics);
        if (!StudentViews.TryGetValue(active.Catalog, out var view) || !ReferenceEquals(view.Paths, paths))
        {
            view = Build(active, paths);
            StudentViews.AddOrUpdate(active.Catalog, view);
        }
        return new VisibleDataset(active, view.Hidden, new Dictionary<int, string>(), view.Statistics);
    }

    static StudentView Build(ActiveDataset active, IReadOnlySet<string> paths)
    {
        var hidden = paths.Select(active.IndexOf).Where(i => i is not null).Select(i => i!.Value).ToHashSet();
        var visible = ImageCatalog.FromRecords(active.Catalog.Images.Where(i => !paths.Contains(i.RelativePath)), active.Catalog.Problems);
        var statistics = DatasetStatistics.From(visible) with { Source = active.Statistics.Source, Fingerprint = active.Statistics.Fingerprint };
        return new StudentView(paths, hidden, statistics);
    }
}
