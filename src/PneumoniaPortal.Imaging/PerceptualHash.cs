using System.Numerics;

namespace PneumoniaPortal.Imaging;

/// <summary>
/// A 64-bit perceptual hash (pHash: the low frequencies of a 32x32 grayscale DCT, each bit "above the median"), so
/// re-encoded, resized or slightly brightened copies of one X-ray hash within a few bits of each other.
/// </summary>
public static class PerceptualHash
{
    const int Size = 32;
    const int Low = 8;
    static readonly double[,] Cosines = BuildCosines();

    /// <summary>Hash of an encoded image.</summary>
    /// <exception cref="InvalidDataException">Not a readable image.</exception>
    public static ulong Compute(byte[] encoded) => FromGray(ImageDecoder.DecodeGray(encoded, Size));

    /// <summary>Hash of a 32x32 row-major grayscale image.</summary>
    public static ulong FromGray(ReadOnlySpan<byte> gray32)
    {
        if (gray32.Length != Size * Size) throw new ArgumentException($"Expected {Size}x{Size} gray pixels, got {gray32.Length} bytes.", nameof(gray32));
        // Separable 2-D DCT-II, only the 8x8 lowest frequencies.
        var rows = new double[Size, Low];
        for (var y = 0; y < Size; y++)
            for (var u = 0; u < Low; u++)
            {
                double sum = 0;
                for (var x = 0; x < Size; x++) sum += gray32[y * Size + x] * Cosines[u, x];
                rows[y, u] = sum;
            }
        var coefficients = new double[Low * Low];
        for (var v = 0; v < Low; v++)
            for (var u = 0; u < Low; u++)
            {
                double sum = 0;
                for (var y = 0; y < Size; y++) sum += rows[y, u] * Cosines[v, y];
                coefficients[v * Low + u] = sum;
            }
        // The DC term is overall brightness; the median over the rest makes the hash immune to it.
        var median = coefficients.Skip(1).Order().ElementAt((Low * Low - 1) / 2);
        ulong hash = 0;
        for (var i = 0; i < Low * Low; i++)
            if (coefficients[i] > median) hash |= 1UL << i;
        return hash;
    }

    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>
    /// Groups of images whose hashes are within <paramref name="maxDistance"/> bits of another member (single linkage).
    /// Only groups of two or more are returned, as positions into <paramref name="hashes"/>.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Groups(IReadOnlyList<ulong> hashes, int maxDistance = 4)
    {
        var parent = Enumerable.Range(0, hashes.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        // All pairs: 6,000 images are 18 million XOR+popcounts, well under a second.
        for (var i = 0; i < hashes.Count; i++)
            for (var j = i + 1; j < hashes.Count; j++)
                if (Distance(hashes[i], hashes[j]) <= maxDistance) parent[Find(i)] = Find(j);
        return Enumerable.Range(0, hashes.Count).GroupBy(Find).Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<int>)g.Order().ToList()).OrderBy(g => g[0]).ToList();
    }

    static double[,] BuildCosines()
    {
        var c = new double[Low, Size];
        for (var u = 0; u < Low; u++)
            for (var x = 0; x < Size; x++)
                c[u, x] = Math.Cos((2 * x + 1) * u * Math.PI / (2 * Size));
        return c;
    }
}
