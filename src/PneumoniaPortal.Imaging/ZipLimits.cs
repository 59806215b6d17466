using System.IO.Compression;
using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Imaging;

/// <summary>
/// What a data set zip may hold before a single image is read: the Kaggle chest X-ray zip has about 17,600 entries,
/// 2.4 GB unpacked, and JPEGs barely compress; a zip bomb or a flood of tiny entries is refused whole, in words.
/// Settings: <c>Dataset:ZipLimits:MaxEntries</c>, <c>MaxTotalBytes</c>, <c>MaxCompressionRatio</c>.
/// </summary>
public sealed record ZipLimits
{
    public int MaxEntries { get; init; } = 60_000;
    public long MaxTotalBytes { get; init; } = 16L << 30;
    /// <summary>Unpacked size over packed size of one entry; X-ray JPEGs and PNGs are near 1.</summary>
    public double MaxCompressionRatio { get; init; } = 100;
    /// <summary>Entries smaller than this are not checked for their ratio (a blank 1 KB file packs well and harms nobody).</summary>
    public long RatioCheckFromBytes { get; init; } = 1L << 20;

    /// <exception cref="DatasetLayoutException">The zip breaks a limit; nothing has been unpacked.</exception>
    public void Check(string source, IReadOnlyCollection<ZipArchiveEntry> entries)
    {
        if (entries.Count > MaxEntries)
            throw new DatasetLayoutException(
                $"{source} holds {entries.Count:N0} files; a data set zip may hold at most {MaxEntries:N0} (the Kaggle chest X-ray zip has about 17,600). Nothing was unpacked.");
        long total = 0;
        foreach (var entry in entries)
        {
            total += entry.Length;
            var ratio = (double)entry.Length / Math.Max(1, entry.CompressedLength);
            if (entry.Length >= RatioCheckFromBytes && ratio > MaxCompressionRatio)
                throw new DatasetLayoutException(
                    $"{source} looks like a zip bomb: {entry.FullName} would unpack from {entry.CompressedLength:N0} bytes to {entry.Length:N0} bytes ({ratio:N0} times larger; X-ray images hardly compress, at most {MaxCompressionRatio:N0} times is accepted). Nothing was unpacked.");
        }
        if (total > MaxTotalBytes)
            throw new DatasetLayoutException(
                $"{source} would unpack to {total / (double)(1L << 30):N1} GB; a data set zip may unpack to at most {MaxTotalBytes / (double)(1L << 30):N1} GB. Nothing was unpacked.");
    }
}
