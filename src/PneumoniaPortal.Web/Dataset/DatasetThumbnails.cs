using PneumoniaPortal.Core.Dataset;
using SkiaSharp;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>
/// Small JPEG previews for the explorer gallery: made with SkiaSharp the first time an image is shown, then kept on
/// disk under <c>cache/thumbs/</c> by content (MD5), so later visits, other users and other data sets holding the same
/// file get them straight from the file.
/// </summary>
public sealed class DatasetThumbnails(PortalPaths paths)
{
    /// <summary>The longer side of a thumbnail in pixels (the gallery shows them at this size).</summary>
    public const int Size = 112;

    const int JpegQuality = 80;

    /// <summary>The thumbnail file of one image, made now if it is not cached yet; kept by content, so a file shared by two data sets is made once.</summary>
    public async Task<string> GetAsync(ImageCatalog catalog, ImageRecord image, CancellationToken ct = default)
    {
        var md5 = image.Md5.ToLowerInvariant();
        var folder = Path.Combine(paths.CacheDirectory, "thumbs", md5[..2]);
        var file = Path.Combine(folder, $"{md5}.jpg");
        if (File.Exists(file)) return file;
        Directory.CreateDirectory(folder);
        var jpeg = await Task.Run(() => Render(catalog.ReadAllBytes(image)), ct);
        // Two requests for the same new thumbnail may race: each writes its own temp file, the last rename wins.
        var temp = file + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        await File.WriteAllBytesAsync(temp, jpeg, ct);
        File.Move(temp, file, overwrite: true);
        return file;
    }

    /// <summary>Scales an encoded image so its longer side is <see cref="Size"/> pixels and encodes it as JPEG.</summary>
    public static byte[] Render(byte[] encoded)
    {
        using var source = SKBitmap.Decode(encoded)
                           ?? throw new InvalidDataException("The image is not a readable JPEG or PNG.");
        var scale = Math.Min(1.0, (double)Size / Math.Max(source.Width, source.Height));
        var width = Math.Max(1, (int)Math.Round(source.Width * scale));
        var height = Math.Max(1, (int)Math.Round(source.Height * scale));
        using var small = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var data = small.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return data.ToArray();
    }

    /// <summary>The content type of an original image file, from its extension.</summary>
    public static string ContentTypeOf(ImageRecord image) =>
        Path.GetExtension(image.RelativePath).ToLowerInvariant() == ".png" ? "image/png" : "image/jpeg";
}
