using System.Text;
using PneumoniaPortal.Imaging;

namespace PneumoniaPortal.Web.Results;

/// <summary>
/// The checks an uploaded X-ray passes before it is decoded: size in bytes, JPEG or PNG by its first bytes, and
/// dimensions read from the header, so a 20000 x 20000 image is refused without allocating gigabytes.
/// </summary>
public static class PredictionUpload
{
    public const long MaxBytes = 20L << 20;
    public const int MaxSide = 10_000;
    public const long MaxPixels = 40_000_000;

    public const string Advice = "Upload a chest X-ray saved as JPEG (.jpg, .jpeg) or PNG (.png).";

    /// <summary>Null when the bytes look like a JPEG or PNG of acceptable size, else what is wrong, in words.</summary>
    public static string? Problem(byte[] bytes, string fileName)
    {
        var name = string.IsNullOrWhiteSpace(fileName) ? "The file" : Path.GetFileName(fileName);
        if (bytes.Length == 0) return $"{name} is empty (0 bytes). {Advice}";
        if (bytes.Length > MaxBytes) return TooLarge(name, bytes.Length);
        if (!IsJpeg(bytes) && !IsPng(bytes)) return $"{name} is not a JPEG or PNG image: it looks like {Describe(bytes)}. {Advice}";
        int width, height;
        try
        {
            (width, height) = ImageDecoder.ProbeSize(bytes);
        }
        catch (InvalidDataException)
        {
            return $"{name} starts like a {(IsJpeg(bytes) ? "JPEG" : "PNG")} image but its header cannot be read (a damaged file). {Advice}";
        }
        if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
            return $"{name} is {width} x {height} pixels; the largest accepted is {MaxSide:N0} pixels on a side and {MaxPixels / 1_000_000} megapixels. Shrink it first (the network sees it at a few hundred pixels anyway).";
        return null;
    }

    public static string TooLarge(string name, long bytes) =>
        $"{name} is {bytes / 1048576.0:0.0} MB; the largest accepted upload is {MaxBytes >> 20} MB.";

    /// <summary>The decoder's complaint about a file that passed the header checks (e.g. a cut-short JPEG).</summary>
    public static string DecodeProblem(string fileName, InvalidDataException e) =>
        $"{(string.IsNullOrWhiteSpace(fileName) ? "The file" : Path.GetFileName(fileName))} cannot be decoded: {e.Message} Upload the whole, undamaged file.";

    static bool IsJpeg(byte[] b) => b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;

    static bool IsPng(byte[] b) => b.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

    static string Describe(byte[] b)
    {
        var head = b.AsSpan(0, Math.Min(b.Length, 512));
        if (head.StartsWith("%PDF"u8)) return "a PDF document";
        if (head.StartsWith("PK"u8)) return "a zip archive (or an Office document)";
        if (head.StartsWith("GIF8"u8)) return "a GIF image";
        if (head.StartsWith("BM"u8)) return "a BMP image";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "a WebP image";
        if (head.Length >= 4 && (head.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || head.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A]))) return "a TIFF image";
        if (head.Length >= 132 && b.AsSpan(128, 4).SequenceEqual("DICM"u8)) return "a DICOM file (export it as PNG or JPEG first)";
        var text = head.ToArray().All(c => c is 9 or 10 or 13 || (c >= 32 && c != 127));
        if (text && Encoding.UTF8.GetString(head).Trim() is { Length: > 0 }) return "a text file";
        return "some other kind of file";
    }
}
