using System.Diagnostics;
using PneumoniaPortal.Tests.Shared;
using SkiaSharp;
using Xunit.Abstractions;

namespace PneumoniaPortal.Imaging.Tests;

public class PerceptualHashTests(ITestOutputHelper output)
{
    static byte[] Reencode(byte[] encoded, int size, int quality, float brighten = 0)
    {
        using var bitmap = SKBitmap.Decode(encoded);
        using var resized = bitmap.Resize(new SKImageInfo(size, size), new SKSamplingOptions(SKFilterMode.Linear));
        using var surface = SKSurface.Create(new SKImageInfo(size, size));
        using var paint = new SKPaint { ColorFilter = SKColorFilter.CreateLighting(SKColors.White, new SKColor((byte)brighten, (byte)brighten, (byte)brighten)) };
        using var resizedImage = SKImage.FromBitmap(resized);
        surface.Canvas.DrawImage(resizedImage, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        using var image = surface.Snapshot();
        return image.Encode(SKEncodedImageFormat.Jpeg, quality).ToArray();
    }

    static IReadOnlyList<string> RealImages(int count) =>
        Directory.EnumerateFiles(Path.Combine(TestData.Root, "test"), "*.jpeg", SearchOption.AllDirectories).Order().Take(count).ToList();

    [Fact]
    public void A_resized_recompressed_brightened_copy_hashes_close_and_other_xrays_far()
    {
        var files = RealImages(12);
        var original = File.ReadAllBytes(files[0]);
        var hash = PerceptualHash.Compute(original);
        var copy = PerceptualHash.Compute(Reencode(original, 512, 60, brighten: 12));
        Assert.InRange(PerceptualHash.Distance(hash, copy), 0, 4);
        var others = files.Skip(1).Select(f => PerceptualHash.Distance(hash, PerceptualHash.Compute(File.ReadAllBytes(f)))).ToList();
        output.WriteLine($"copy: {PerceptualHash.Distance(hash, copy)} bits; other X-rays: {string.Join(", ", others)} bits");
        Assert.All(others, d => Assert.True(d > 8, $"another X-ray is only {d} bits away"));
    }

    [Fact]
    public void Groups_join_near_hashes_transitively_and_leave_loners_out()
    {
        ulong a = 0b1111_0000, b = a ^ 0b1, c = b ^ 0b110, far = ~a;
        var groups = PerceptualHash.Groups([a, far, b, c], maxDistance: 2);
        Assert.Equal([[0, 2, 3]], groups.Select(g => g.ToArray()).ToArray());
    }

    [Fact]
    public void Hashing_the_data_set_finds_near_duplicate_groups_quickly()
    {
        var files = Directory.EnumerateFiles(TestData.Root, "*.jpeg", SearchOption.AllDirectories).Order().ToList();
        var watch = Stopwatch.StartNew();
        var hashes = files.AsParallel().AsOrdered().Select(f => PerceptualHash.Compute(File.ReadAllBytes(f))).ToList();
        var hashing = watch.Elapsed;
        watch.Restart();
        var groups = PerceptualHash.Groups(hashes);
        output.WriteLine($"{files.Count} images hashed in {hashing.TotalSeconds:0.0} s, grouped in {watch.Elapsed.TotalMilliseconds:0} ms: {groups.Count} near-duplicate groups");
        // Byte-identical copies are near duplicates at distance 0, so every md5 duplicate pair is in some group.
        var byBytes = files.Select((f, i) => (md5: Convert.ToHexString(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(f))), i))
            .GroupBy(x => x.md5).Where(g => g.Count() > 1).ToList();
        foreach (var pair in byBytes)
            Assert.Contains(groups, g => pair.All(x => g.Contains(x.i)));
    }
}
