using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>
/// A data set as one viewer may see it. A student's is a catalog of its own: the images whose content a
/// leaderboard holds back are not in it at all (not in the gallery, the image endpoints, the duplicates, the
/// statistics), so nothing a student is shown differs between a held-back image and one that does not exist, and the
/// statistics name no server folder. Instructors and admins see every image, each held-back one marked with the
/// leaderboard that holds it back.
/// </summary>
public sealed record VisibleDataset(
    LoadedDataset Dataset,
    IReadOnlySet<int> Hidden,
    IReadOnlyDictionary<int, string> HeldBackFor,
    DatasetStatistics Statistics,
    IReadOnlyDictionary<string, int[]> Duplicates,
    bool IsStaff)
{
    public int Count => Dataset.Catalog.Count - Hidden.Count;

    /// <summary>Every image visible, nothing marked (unit tests without the access rules).</summary>
    public static VisibleDataset Everything(LoadedDataset dataset) =>
        new(dataset, new HashSet<int>(), new Dictionary<int, string>(), dataset.Statistics, dataset.DuplicateIndices, IsStaff: true);

    public bool CanSee(int index) => index >= 0 && index < Dataset.Catalog.Count && !Hidden.Contains(index);

    /// <summary>The visible byte-identical copies of the image at <paramref name="index"/>; empty when it has none this viewer may see.</summary>
    public IReadOnlyList<int> TwinsOf(int index) => Dataset.TwinsIn(Duplicates, index);

    /// <summary>Whether the image has a byte-identical copy this viewer may see (the gallery's "duplicates only" filter).</summary>
    public bool HasTwin(int index) => Duplicates.ContainsKey(Dataset.Catalog.Images[index].Md5.ToLowerInvariant());
}
