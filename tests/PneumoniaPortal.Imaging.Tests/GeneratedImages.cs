using System.IO.Compression;
using SkiaSharp;

namespace PneumoniaPortal.Imaging.Tests;

/// <summary>Small synthetic images and archives built in code, so the tests need no fixture files.</summary>
internal static class GeneratedImages
{
    /// <summary>An RGB image with a horizontal gradient (dark left, bright right) and a red tint, encoded as asked.</summary>
    public static byte[] Rgb(int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 90)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = (byte)(x * 255 / Math.Max(1, width - 1));
                bitmap.SetPixel(x, y, new SKColor(v, (byte)(v * 3 / 4), (byte)(v / 2)));
            }
        return Encode(bitmap, format, quality);
    }

    /// <summary>One colour everywhere.</summary>
    public static byte[] Solid(int width, int height, SKColor color, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(color);
        return Encode(bitmap, format, 95);
    }

    /// <summary>An 8-bit grayscale PNG (or JPEG), left half black and right half white.</summary>
    public static byte[] Gray(int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = x < width / 2 ? (byte)0 : (byte)255;
        return Encode(bitmap, format, 95);
    }

    /// <summary>A PNG with an alpha channel: colour (R=G=B=<paramref name="value"/>) at half opacity.</summary>
    public static byte[] Rgba(int width, int height, byte value)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(value, value, value, 128));
        return Encode(bitmap, SKEncodedImageFormat.Png, 100);
    }

    /// <summary>A JPEG cut after its first half: the header is intact, the pixels are not.</summary>
    public static byte[] TruncatedJpeg(int width = 400, int height = 300)
    {
        var whole = Noise(width, height, SKEncodedImageFormat.Jpeg);
        return whole[..(whole.Length / 2)];
    }

    /// <summary>Random pixels: a JPEG of it is big and has plenty of entropy-coded data to cut.</summary>
    public static byte[] Noise(int width, int height, SKEncodedImageFormat format)
    {
        var random = new Random(42);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        return Encode(bitmap, format, 90);
    }

    public static SKBitmap DecodeBack(byte[] encoded) =>
        SKBitmap.Decode(encoded) ?? throw new InvalidDataException("Skia could not decode the bytes back.");

    static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    public static void Write(string root, string relativePath, byte[] bytes)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Writes a zip whose entries are exactly the given names (nothing is normalised).</summary>
    public static string Zip(string directory, string fileName, IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        var path = Path.Combine(directory, fileName);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
            if (name.EndsWith('/')) continue;
            using var stream = entry.Open();
            stream.Write(bytes);
        }
        return path;
    }
}
