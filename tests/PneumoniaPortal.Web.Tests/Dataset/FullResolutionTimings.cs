using System.Diagnostics;
using System.IO.Compression;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Training.Data;
using SkiaSharp;
using Xunit.Abstractions;

namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>
/// What a portal does with the archives people download, at their resolution: the full set's 5,856 images scaled up
/// to 1,300 x 1,000 pixels with film grain (about the size of the originals, 150-250 KB each), written as Kaggle's
/// archive (chest_xray/ plus the nested chest_xray/chest_xray/ copy and __MACOSX/) and as Mendeley's
/// (ChestXRay2017/chest_xray/, train and test). Times the import of each (what the import page does after the upload)
/// and the first training preparation (decode and resize of every image at the preset's input size). For
/// docs/benchmarks.md; skipped unless <c>PORTAL_TIMINGS=1</c> and the full set is present.
/// </summary>
public sealed class FullResolutionTimings(ITestOutputHelper output)
{
    const int Width = 1300, Height = 1000;

    [TimingFact]
    public void Import_and_first_training_preparation_of_the_archives_at_full_resolution()
    {
        var folder = TestData.NewTempDirectory("full-resolution");
        try
        {
            using var source = DatasetImporter.Open(TestData.Root);
            var clock = Stopwatch.StartNew();
            var kaggle = Path.Combine(folder, "archive.zip");
            var mendeley = Path.Combine(folder, "ChestXRay2017.zip");
            var bytes = WriteArchives(source, kaggle, mendeley);
            output.WriteLine($"Wrote {source.Count:N0} images of {Width}x{Height} ({bytes / source.Count / 1024:N0} KB each on average): " +
                             $"Kaggle archive {new FileInfo(kaggle).Length / 1e9:F2} GB, Mendeley {new FileInfo(mendeley).Length / 1e9:F2} GB, in {clock.Elapsed.TotalSeconds:F0} s");

            foreach (var (name, zip) in new[] { ("Kaggle archive", kaggle), ("Mendeley archive", mendeley) })
            {
                // The import page's work after the upload: every entry's md5 and image header, then the statistics.
                clock.Restart();
                using var catalog = DatasetImporter.Open(zip);
                var stats = DatasetStatistics.From(catalog);
                output.WriteLine($"{name}: import {clock.Elapsed.TotalSeconds:F1} s, {catalog.Count:N0} images ({stats.TotalNormal:N0} NORMAL), " +
                                 $"{catalog.Problems.Count} files not used");
                Assert.Equal(name == "Kaggle archive" ? source.Count : source.Count - source.Images.Count(i => i.Split == Split.Val), catalog.Count);
            }

            // The first run on the imported set decodes every image once at the network's input size (cached afterwards).
            using var imported = DatasetImporter.Open(kaggle);
            var size = ArchitecturePresets.CpuDefaultSpec.InputSize;
            clock.Restart();
            var cache = ImageCache.Load(imported, size, Path.Combine(folder, "cache"));
            output.WriteLine($"First training preparation at {size} px (decode + resize of {imported.Count:N0} images, {Environment.ProcessorCount} cores): " +
                             $"{clock.Elapsed.TotalSeconds:F1} s, {cache.Problems.Count} unreadable");
            clock.Restart();
            ImageCache.Load(imported, size, Path.Combine(folder, "cache"));
            output.WriteLine($"The same from the disk cache: {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes both archives; answers the bytes of one copy of the images.</summary>
    static long WriteArchives(ImageCatalog source, string kaggle, string mendeley)
    {
        long total = 0;
        using var kaggleZip = ZipFile.Open(kaggle, ZipArchiveMode.Create);
        using var mendeleyZip = ZipFile.Open(mendeley, ZipArchiveMode.Create);
        foreach (var batch in source.Images.Chunk(64))
        {
            var encoded = new byte[batch.Length][];
            Parallel.For(0, batch.Length, i => encoded[i] = FullSize(source.ReadAllBytes(batch[i]), i));
            for (var i = 0; i < batch.Length; i++)
            {
                var image = batch[i];
                total += encoded[i].Length;
                var inLayout = $"{image.Split.ToString().ToLowerInvariant()}/{image.Label.ToString().ToUpperInvariant()}/{Path.GetFileName(image.RelativePath)}";
                Add(kaggleZip, $"chest_xray/{inLayout}", encoded[i]);
                Add(kaggleZip, $"chest_xray/chest_xray/{inLayout}", encoded[i]);
                Add(kaggleZip, $"__MACOSX/chest_xray/._{Path.GetFileName(image.RelativePath)}", new byte[4096]);
                // Mendeley's original has no validation folder.
                if (image.Split != Split.Val) Add(mendeleyZip, $"ChestXRay2017/chest_xray/{inLayout}", encoded[i]);
            }
        }
        return total;
    }

    static void Add(ZipArchive zip, string name, byte[] content)
    {
        // As the archives are: JPEGs stored, not compressed again.
        using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        entry.Write(content);
    }

    /// <summary>The image at 1,300 x 1,000 with a film grain, as JPEG (quality 92): about the size of an original.</summary>
    static byte[] FullSize(byte[] small, int seed)
    {
        using var decoded = SKBitmap.Decode(small);
        using var large = decoded.Resize(new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.Mitchell));
        var pixels = large.Bytes;
        var grain = new byte[pixels.Length];
        new Random(seed).NextBytes(grain);
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)Math.Clamp(pixels[i] + grain[i] % 13 - 6, 0, 255);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, large.GetPixels(), pixels.Length);
        using var data = large.Encode(SKEncodedImageFormat.Jpeg, 92);
        return data.ToArray();
    }
}
