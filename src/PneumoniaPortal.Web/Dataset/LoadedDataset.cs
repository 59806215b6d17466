using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>
/// A data set in use (the portal's default, a class's, or a run's), with its catalog (at its newest label version;
/// <c>Catalog.Original</c> has the labels as imported) and statistics held in memory (<see cref="DatasetService.GetAsync"/>).
/// </summary>
public sealed record LoadedDataset(int Id, string Name, ImageCatalog Catalog, DatasetStatistics Statistics)
{
    /// <summary>The label version <see cref="Catalog"/> shows: 0 = as imported, then one per accepted relabelling.</summary>
    public int LabelVersion { get; init; }

    readonly Lazy<IReadOnlyDictionary<string, int[]>> _twins = new(() => Catalog.Images
        .Select((image, index) => (md5: image.Md5.ToLowerInvariant(), index))
        .GroupBy(x => x.md5)
        .Where(g => g.Count() > 1)
        .ToDictionary(g => g.Key, g => g.Select(x => x.index).ToArray()));

    /// <summary>Positions in <see cref="ImageCatalog.Images"/> of the byte-identical copies of each duplicated md5 (computed once).</summary>
    public IReadOnlyDictionary<string, int[]> DuplicateIndices => _twins.Value;

    readonly Lazy<IReadOnlyDictionary<string, int>> _byPath = new(() => Catalog.Images
        .Select((image, index) => (image.RelativePath, index))
        .ToDictionary(x => x.RelativePath, x => x.index, StringComparer.Ordinal));

    /// <summary>Position in <see cref="ImageCatalog.Images"/> of the image at this relative path, or null.</summary>
    public int? IndexOf(string relativePath) => _byPath.Value.TryGetValue(relativePath, out var i) ? i : null;

    /// <summary>The other copies of the image at <paramref name="index"/>; empty when it has none.</summary>
    public IReadOnlyList<int> TwinsOf(int index) => TwinsIn(DuplicateIndices, index);

    /// <summary>The other copies of the image at <paramref name="index"/> among <paramref name="duplicates"/> (groups by md5).</summary>
    public IReadOnlyList<int> TwinsIn(IReadOnlyDictionary<string, int[]> duplicates, int index) =>
        duplicates.TryGetValue(Catalog.Images[index].Md5.ToLowerInvariant(), out var all) ? all.Where(i => i != index).ToArray() : [];

    /// <summary>The data set's secret for image ids (hex), from its row.</summary>
    public string IdKey { get; init; } = "";

    byte[] KeyBytes => _key ??= Convert.FromHexString(IdKey);
    byte[]? _key;

    // Built on first use (one HMAC per image, once); two threads building them at once build the same.
    string[] Ids => _ids ??= Catalog.Images.Select(image => IdOf(image.RelativePath)).ToArray();
    string[]? _ids;
    IReadOnlyDictionary<string, int> ById => _byId ??= Ids
        .Select((id, index) => (id, index))
        .ToDictionary(x => x.id, x => x.index, StringComparer.Ordinal);
    IReadOnlyDictionary<string, int>? _byId;

    /// <summary>The id pages and APIs use for the image at this position (<see cref="ImageIds"/>).</summary>
    public string IdOf(int index) => Ids[index];

    /// <summary>The id of the image at this relative path.</summary>
    public string IdOf(string relativePath) => ImageIds.Of(KeyBytes, relativePath);

    /// <summary>Position of the image with this id, or null (an id of another data set, or of nothing).</summary>
    public int? IndexOfId(string? id) => ImageIds.IsWellFormed(id) && ById.TryGetValue(id!, out var i) ? i : null;
}
