using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Imaging;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>
/// The perceptual hashes of one data set's files and the groups of near-identical images they make, as positions in
/// <see cref="ImageCatalog.Images"/> (the same for every label version: the files decide, not the labels).
/// </summary>
public sealed class NearDuplicates
{
    readonly Dictionary<int, int[]> _groupOf = [];

    public NearDuplicates(string contentFingerprint, ulong[] hashes, bool[] readable, int maxDistance)
    {
        ContentFingerprint = contentFingerprint;
        Hashes = hashes;
        Readable = readable;
        MaxDistance = maxDistance;
        var positions = Enumerable.Range(0, hashes.Length).Where(i => readable[i]).ToArray();
        Groups = PerceptualHash.Groups(positions.Select(i => hashes[i]).ToArray(), maxDistance)
            .Select(g => (IReadOnlyList<int>)g.Select(p => positions[p]).ToArray()).ToList();
        foreach (var group in Groups)
            foreach (var member in group) _groupOf[member] = [.. group];
    }

    public string ContentFingerprint { get; }
    public IReadOnlyList<ulong> Hashes { get; }
    /// <summary>False for a file that could not be decoded (it is in no group).</summary>
    public IReadOnlyList<bool> Readable { get; }
    public int MaxDistance { get; }
    /// <summary>Groups of two or more catalog positions whose hashes chain within <see cref="MaxDistance"/> bits.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Groups { get; }

    /// <summary>The other members of the image's near-duplicate group; empty when it has none.</summary>
    public IReadOnlyList<int> OthersOf(int index) => _groupOf.TryGetValue(index, out var g) ? g.Where(i => i != index).ToArray() : [];

    public int Distance(int a, int b) => PerceptualHash.Distance(Hashes[a], Hashes[b]);
}
