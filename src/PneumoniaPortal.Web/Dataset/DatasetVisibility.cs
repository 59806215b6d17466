using System.Runtime.CompilerServices;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>Builds <see cref="VisibleDataset"/>; a student's view is computed once per catalog and set of held-back images.</summary>
public sealed class DatasetVisibility(Classes.WorkingClasses workingClasses, HeldOutImages heldOut)
{
    // Per catalog (each label version is its own catalog), for the held-back set HeldOutImages handed out last: rebuilt
    // only when either changes.
    static readonly ConditionalWeakTable<ImageCatalog, StudentView> StudentViews = new();

    sealed record StudentView(IReadOnlySet<string> Paths, IReadOnlySet<int> Hidden, DatasetStatistics Statistics, IReadOnlyDictionary<string, int[]> Duplicates);

    /// <summary>Whether this viewer may be served the image at this position (cheap: for every thumbnail request).</summary>
    public async Task<bool> CanSeeAsync(Viewer viewer, LoadedDataset active, int index, CancellationToken ct = default)
    {
        if (index < 0 || index >= active.Catalog.Count) return false;
        if (viewer.IsStaff) return true;
        return !(await heldOut.PathsAsync(active.Catalog, ct)).Contains(active.Catalog.Images[index].RelativePath);
    }

    /// <summary>The data set of the class the viewer works in, as they may see it.</summary>
    public async Task<VisibleDataset> ForAsync(Viewer viewer, CancellationToken ct = default) =>
        await ForAsync(viewer, await workingClasses.DatasetOfAsync(viewer, ct), ct);

    public async Task<VisibleDataset> ForAsync(Viewer viewer, LoadedDataset active, CancellationToken ct = default)
    {
        if (viewer.IsStaff)
        {
            var holders = await heldOut.HoldersAsync(active.Catalog, ct);
            var marked = holders
                .Select(h => (Index: active.IndexOf(h.Key), Title: h.Value))
                .Where(h => h.Index is not null)
                .ToDictionary(h => h.Index!.Value, h => h.Title);
            return new VisibleDataset(active, new HashSet<int>(), marked, active.Statistics, active.DuplicateIndices, IsStaff: true);
        }
        var paths = await heldOut.PathsAsync(active.Catalog, ct);
        if (!StudentViews.TryGetValue(active.Catalog, out var view) || !ReferenceEquals(view.Paths, paths))
        {
            view = Build(active, paths);
            StudentViews.AddOrUpdate(active.Catalog, view);
        }
        return new VisibleDataset(active, view.Hidden, new Dictionary<int, string>(), view.Statistics, view.Duplicates, IsStaff: false);
    }

    static StudentView Build(LoadedDataset active, IReadOnlySet<string> paths)
    {
        var hidden = paths.Select(active.IndexOf).Where(i => i is not null).Select(i => i!.Value).ToHashSet();
        var visible = ImageCatalog.FromRecords(active.Catalog.Images.Where(i => !paths.Contains(i.RelativePath)), active.Catalog.Problems);
        // Where the files are on the server and the fingerprint of the whole set are not a student's to know.
        var statistics = DatasetStatistics.From(visible) with { Source = "", Fingerprint = "" };
        // The data set's groups of copies, without the held-back ones: a group left with one image is no longer a group.
        var duplicates = active.DuplicateIndices
            .Select(g => (Md5: g.Key, Visible: g.Value.Where(i => !hidden.Contains(i)).ToArray()))
            .Where(g => g.Visible.Length > 1)
            .ToDictionary(g => g.Md5, g => g.Visible);
        return new StudentView(paths, hidden, statistics, duplicates);
    }
}
