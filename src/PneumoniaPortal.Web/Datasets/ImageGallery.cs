using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Datasets;

/// <summary>What the explorer shows: null means "any".</summary>
public sealed record GalleryFilter(Split? Split = null, Label? Label = null, string? Subtype = null, bool DuplicatesOnly = false, string Search = "")
{
    public bool Matches(ActiveDataset dataset, int index)
    {
        var image = dataset.Catalog.Images[index];
        return (Split is not { } split || image.Split == split)
               && (Label is not { } label || image.Label == label)
               && (string.IsNullOrEmpty(Subtype) || image.Subtype == Subtype)
               && (!DuplicatesOnly || dataset.DuplicateIndices.ContainsKey(image.Md5.ToLowerInvariant()))
               && (string.IsNullOrWhiteSpace(Search) || image.RelativePath.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>One entry of an image's label history: which label, where it came from, and when.</summary>
public sealed record LabelHistoryEntry(Label Label, string Source, DateTimeOffset? At);

/// <summary>A byte-identical copy of the image shown, with where it sits.</summary>
public sealed record ImageTwin(int Index, string RelativePath, Split Split, Label Label);

/// <summary>Everything the image detail shows about one image.</summary>
public sealed record ImageDetail(int Index, ImageRecord Image, IReadOnlyList<ImageTwin> Twins, IReadOnlyList<LabelHistoryEntry> LabelHistory)
{
    public bool TwinLabelsConflict => Twins.Any(t => t.Label != Image.Label);
    public bool TwinsCrossSplits => Twins.Any(t => t.Split != Image.Split);
}

/// <summary>
/// One user's view of the active data set in the explorer: the filter, the images that match it, and those images cut
/// into gallery rows. Holds only positions in the catalog, so 5,856 images cost a few kilobytes per user.
/// </summary>
public sealed class ImageGallery(DatasetService datasets)
{
    int _perRow = 7;

    public ActiveDataset? Dataset { get; private set; }
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
    public IReadOnlyList<string> Subtypes => Dataset?.Statistics.Subtypes.Where(s => s.Value > 0).Select(s => s.Key).ToArray() ?? [];

    /// <summary>Loads the active data set (again, if another one became active) and re-applies the filter.</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        Use(await datasets.GetActiveAsync(ct));
    }

    /// <summary>Shows this data set, keeping the current filter.</summary>
    public void Use(ActiveDataset dataset)
    {
        Dataset = dataset;
        Apply(Filter);
    }

    public void Apply(GalleryFilter filter)
    {
        Filter = filter;
        if (Dataset is not { } dataset) { Matching = []; Rows = []; return; }
        var matching = new List<int>(dataset.Catalog.Count);
        for (var i = 0; i < dataset.Catalog.Count; i++)
            if (filter.Matches(dataset, i)) matching.Add(i);
        Matching = matching;
        Rows = matching.Chunk(_perRow).ToArray();
    }

    /// <summary>The image at a catalog position with its duplicates and label history; null for an unknown position.</summary>
    public ImageDetail? Detail(int index)
    {
        if (Dataset is not { } dataset || index < 0 || index >= dataset.Catalog.Count) return null;
        var image = dataset.Catalog.Images[index];
        var twins = dataset.TwinsOf(index)
            .Select(i => (i, twin: dataset.Catalog.Images[i]))
            .Select(x => new ImageTwin(x.i, x.twin.RelativePath, x.twin.Split, x.twin.Label))
            .ToArray();
        // Relabelling (accepted proposals) will append entries here; the folder's label always comes first.
        var history = new List<LabelHistoryEntry>
        {
            new(image.Label, $"Original label: the data set's {KaggleLayout.FolderName(image.Split)}/{KaggleLayout.FolderName(image.Label)} folder", null),
        };
        return new ImageDetail(index, image, twins, history);
    }

    /// <summary>Address of an image's thumbnail; the data set id in the query keeps browser caches apart across data sets.</summary>
    public string ThumbUrl(int index) => $"api/dataset/images/{index}/thumb?v={Dataset?.Id}";

    public string ImageUrl(int index) => $"api/dataset/images/{index}?v={Dataset?.Id}";
}
