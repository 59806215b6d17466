using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>
/// One user's view of their data set (that of the class they work in) in the explorer: the filter, the images that match it, and those images cut
/// into gallery rows. Holds only positions in the catalog, so 5,856 images cost a few kilobytes per user.
/// A student's gallery leaves out the images leaderboards hold back (<see cref="DatasetVisibility"/>).
/// </summary>
/// <remarks>The portal always registers <see cref="DatasetVisibility"/>; without it (unit tests) every image is visible.</remarks>
public sealed class ImageGallery(DatasetService datasets, DatasetVisibility? visibility = null, CurrentUser? currentUser = null, RelabelService? relabelling = null,
    Classes.WorkingClasses? workingClasses = null)
{
    int _perRow = 7;

    public LoadedDataset? Dataset { get; private set; }

    /// <summary>What this viewer may see of <see cref="Dataset"/>: hidden images, held-back marks, statistics.</summary>
    public VisibleDataset? Visible { get; private set; }

    /// <summary>Statistics of the images this viewer may see.</summary>
    public DatasetStatistics? Statistics => Visible?.Statistics;

    /// <summary>For instructors: the leaderboard(s) holding back the image at this position, or null.</summary>
    public string? HeldBackFor(int index) => Visible?.HeldBackFor.GetValueOrDefault(index);
    public GalleryFilter Filter { get; private set; } = new();

    /// <summary>Positions in the catalog of the images that match <see cref="Filter"/>, in catalog (path) order.</summary>
    public IReadOnlyList<int> Matching { get; private set; } = [];

    /// <summary><see cref="Matching"/> cut into rows of <see cref="PerRow"/>, ready for a virtualized list.</summary>
    public int[][] Rows { get; private set; } = [];

    public int PerRow
    {
        get => _perRow;
        set { _perRow = Math.Max(1, value); Rows = Matching.Chunk(_perRow).ToArray(); }
    }

    /// <summary>Subtypes that occur in the data set, for the subtype filter.</summary>
    public IReadOnlyList<string> Subtypes => Visible?.Statistics.Subtypes.Where(s => s.Value > 0).Select(s => s.Key).ToArray() ?? [];

    /// <summary>Loads the viewer's data set (again: it may have moved to new labels, or the class to another set) and re-applies the filter.</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        await UseAsync(workingClasses is not null && currentUser is not null
            ? await workingClasses.DatasetOfAsync(await currentUser.GetAsync(), ct)
            : await datasets.GetDefaultAsync(ct), ct);
    }

    /// <summary>Shows this data set, keeping the current filter.</summary>
    public async Task UseAsync(LoadedDataset dataset, CancellationToken ct = default)
    {
        if (visibility is null || currentUser is null) { Use(dataset); return; }
        Use(dataset, await visibility.ForAsync(await currentUser.GetAsync(), dataset, ct));
    }

    /// <summary>Shows this data set as <paramref name="visible"/> allows (everything when null), keeping the current filter.</summary>
    public void Use(LoadedDataset dataset, VisibleDataset? visible = null)
    {
        Visible = visible ?? VisibleDataset.Everything(dataset);
        Dataset = dataset;
        Apply(Filter);
    }

    public void Apply(GalleryFilter filter)
    {
        Filter = filter;
        if (Dataset is not { } dataset || Visible is not { } visible) { Matching = []; Rows = []; return; }
        var matching = new List<int>(dataset.Catalog.Count);
        for (var i = 0; i < dataset.Catalog.Count; i++)
            if (!visible.Hidden.Contains(i) && filter.Matches(visible, i)) matching.Add(i);
        Matching = matching;
        Rows = matching.Chunk(_perRow).ToArray();
    }

    /// <summary>The image at a catalog position with its duplicates and label history; null for an unknown position.</summary>
    public ImageDetail? Detail(int index)
    {
        if (Dataset is not { } dataset || Visible is not { } visible || !visible.CanSee(index)) return null;
        var image = dataset.Catalog.Images[index];
        var twins = visible.TwinsOf(index)
            .Select(i => (i, twin: dataset.Catalog.Images[i]))
            .Select(x => new ImageTwin(x.i, x.twin.RelativePath, x.twin.Split, x.twin.Label))
            .ToArray();
        // Relabelling (accepted proposals) will append entries here; the folder's label always comes first.
        var original = dataset.Catalog.Original.Find(image.RelativePath) ?? image;
        return new ImageDetail(index, image, twins, [OriginalEntry(original)]);
    }

    /// <summary>The label the data set's folders give the image: always the first history entry, whatever was accepted since.</summary>
    public static LabelHistoryEntry OriginalEntry(ImageRecord original) =>
        new(original.Label, $"Original label: the data set's {KaggleLayout.FolderName(original.Split)}/{KaggleLayout.FolderName(original.Label)} folder", null)
        {
            Subtype = original.Subtype, Version = 0,
        };

    /// <summary>
    /// The image's full label history: the original label, then every proposal and decision (read when the detail
    /// opens, so it includes votes cast a moment ago). Without the relabelling service (unit tests) just the original label.
    /// </summary>
    public async Task<IReadOnlyList<LabelHistoryEntry>> LabelHistoryAsync(ImageDetail detail, CancellationToken ct = default)
    {
        if (relabelling is null) return detail.LabelHistory;
        var history = await relabelling.HistoryAsync(Dataset!, detail.Index, ct);
        return history.Count > 0 ? history : detail.LabelHistory;
    }

    /// <summary>Address of an image's thumbnail, by its id (never its position).</summary>
    public string ThumbUrl(int index) => ImageIds.ThumbUrl(Dataset!.IdOf(index));

    public string ImageUrl(int index) => ImageIds.ImageUrl(Dataset!.IdOf(index));

    /// <summary>Whether this viewer is shown the files' own facts (MD5, size in bytes): staff only, since they would let a
    /// student find a practice image's label in the explorer.</summary>
    public bool ShowsFileFacts => Visible?.IsStaff ?? false;
}
