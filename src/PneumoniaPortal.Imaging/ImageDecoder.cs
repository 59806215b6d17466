using System.Runtime.InteropServices;
using SkiaSharp;

namespace PneumoniaPortal.Imaging;

/// <summary>
/// Turns encoded X-rays (JPEG, PNG, or anything else Skia reads) into the 8-bit grayscale squares the networks
/// train on, and gray pixels back into PNG.
/// </summary>
public static class ImageDecoder
{
    const string NotAnImage = "is not a readable JPEG or PNG image";

    /// <summary>Largest image a data set may hold (chest X-rays are about 3000 x 3000).</summary>
    public const int MaxSide = 10_000;
    public const long MaxPixels = 40_000_000;

    /// <summary>Width and height from the image header, without decoding the pixels.</summary>
    /// <exception cref="InvalidDataException">The data is not an image Skia can read.</exception>
    public static (int Width, int Height) ProbeSize(Stream s) => ProbeSize(ReadAll(s));

    /// <inheritdoc cref="ProbeSize(Stream)"/>
    public static (int Width, int Height) ProbeSize(byte[] encoded)
    {
        using var codec = CreateCodec(encoded);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>
    /// Decodes, converts to 8-bit luminance (ITU-R 601, as PIL's <c>convert("L")</c>; alpha is ignored) and resizes
    /// to <paramref name="size"/> x <paramref name="size"/> without keeping the aspect ratio, like Keras'
    /// <c>target_size</c>. Shrinking averages every source pixel (PIL-style antialiased bilinear; large JPEGs are
    /// first decoded at 1/2, 1/4 or 1/8 scale), enlarging is bilinear. Row-major, one byte per pixel.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is not an image Skia can read, or it is cut short.</exception>
    public static byte[] DecodeGray(Stream s, int size) => DecodeGray(ReadAll(s), size);

    /// <inheritdoc cref="DecodeGray(Stream, int)"/>
    public static byte[] DecodeGray(byte[] encoded, int size)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"The output size must be at least 1 pixel; got {size}.");
        using var codec = CreateCodec(encoded);
        using var gray = DecodeGrayFullSize(codec, size);
        return Resize(gray, size, size);
    }

    /// <summary>Decodes to 8-bit luminance at the image's own size.</summary>
    public static (byte[] Pixels, int Width, int Height) DecodeGray(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var codec = CreateCodec(encoded);
        using var gray = DecodeGrayFullSize(codec, 0);
        return (gray.Bytes, gray.Width, gray.Height);
    }

    /// <summary>8-bit gray pixels (row-major) to PNG bytes.</summary>
    public static byte[] EncodePng(byte[] gray, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(gray);
        CheckPixels(gray.Length, width, height, 1);
        return PngWriter.Encode(gray, new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
    }

    /// <summary>
    /// Checks that the bytes are a whole image: the header must parse, and a file whose end marker is missing is
    /// decoded to tell a cut-short file from one with trailing bytes. Returns null when fine, else the reason.
    /// </summary>
    internal static string? Inspect(byte[] encoded, out int width, out int height)
    {
        width = height = 0;
        if (encoded.Length == 0) return "empty file (0 bytes)";
        using var codec = SKCodec.Create(SKData.CreateCopy(encoded));
        if (codec is null) return $"not a readable JPEG or PNG image (no image header in its {encoded.Length} bytes)";
        width = codec.Info.Width;
        height = codec.Info.Height;
        if (width <= 0 || height <= 0) return $"not a readable image (header says {width}x{height} pixels)";
        // Checked before any decoding: a 20000 x 20000 header would otherwise ask for gigabytes of pixels.
        if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
            return $"too large: {width}x{height} pixels; the largest accepted image is {MaxSide:N0} pixels on a side and {MaxPixels / 1_000_000} megapixels";
        if (HasEndMarker(encoded, codec.EncodedFormat)) return null;

        // No end marker: decode to find out whether the pixels are all there.
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        return result switch
        {
            SKCodecResult.Success => null,
            SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput =>
                $"truncated or corrupt {codec.EncodedFormat.ToString().ToUpperInvariant()} ({width}x{height} in the header, but the pixel data is cut short)",
            _ => $"the {codec.EncodedFormat.ToString().ToUpperInvariant()} image cannot be decoded ({result})",
        };
    }

    static bool HasEndMarker(byte[] data, SKEncodedImageFormat format)
    {
        // Entropy-coded JPEG data never holds FF D9, so finding it near the end means the file was written to the end.
        var tail = data.AsSpan(Math.Max(0, data.Length - 4096));
        return format switch
        {
            SKEncodedImageFormat.Jpeg => tail.IndexOf([(byte)0xFF, (byte)0xD9]) >= 0,
            SKEncodedImageFormat.Png => tail.IndexOf("IEND"u8) >= 0,
            _ => false,
        };
    }

    static SKCodec CreateCodec(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Length == 0) throw new InvalidDataException($"The data is empty: it {NotAnImage}.");
        var codec = SKCodec.Create(SKData.CreateCopy(encoded));
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            codec?.Dispose();
            throw new InvalidDataException($"The data ({encoded.Length} bytes) {NotAnImage}.");
        }
        return codec;
    }

    /// <summary>
    /// Decodes to gray. With <paramref name="targetSize"/> > 0 a JPEG is decoded at the smallest DCT scale
    /// (1/2, 1/4, 1/8) still at least that big, which is much faster for full-resolution X-rays and averages
    /// the pixels it drops.
    /// </summary>
    static SKBitmap DecodeGrayFullSize(SKCodec codec, int targetSize)
    {
        var dims = new SKSizeI(codec.Info.Width, codec.Info.Height);
        if (targetSize > 0 && codec.EncodedFormat == SKEncodedImageFormat.Jpeg)
        {
            foreach (var scale in new[] { 0.125f, 0.25f, 0.5f })
            {
                var scaled = codec.GetScaledDimensions(scale);
                if (scaled.Width >= targetSize && scaled.Height >= targetSize) { dims = scaled; break; }
            }
        }

        if (codec.Info.ColorType == SKColorType.Gray8)
        {
            var gray = new SKBitmap(new SKImageInfo(dims.Width, dims.Height, SKColorType.Gray8, SKAlphaType.Opaque));
            var result = codec.GetPixels(gray.Info, gray.GetPixels());
            if (result == SKCodecResult.Success) return gray;
            gray.Dispose();
            if (result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput) throw Truncated(codec, result);
            // Skia could not hand out gray directly for this file: fall back to colour and convert.
        }

        using var rgba = new SKBitmap(new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var rgbaResult = codec.GetPixels(rgba.Info, rgba.GetPixels());
        if (rgbaResult != SKCodecResult.Success) throw Truncated(codec, rgbaResult);
        var output = new SKBitmap(new SKImageInfo(dims.Width, dims.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        Luminance(rgba.GetPixelSpan(), output.GetPixelSpan());
        return output;
    }

    static InvalidDataException Truncated(SKCodec codec, SKCodecResult result) => new(result switch
    {
        SKCodecResult.IncompleteInput => $"The {codec.EncodedFormat.ToString().ToUpperInvariant()} image is cut short (truncated file).",
        SKCodecResult.ErrorInInput => $"The {codec.EncodedFormat.ToString().ToUpperInvariant()} image has corrupt pixel data.",
        _ => $"The {codec.EncodedFormat.ToString().ToUpperInvariant()} image cannot be decoded ({result}).",
    });

    static void Luminance(ReadOnlySpan<byte> rgba, Span<byte> gray)
    {
        // PIL's L = R*299/1000 + G*587/1000 + B*114/1000, rounded.
        for (int i = 0, j = 0; j < gray.Length; i += 4, j++)
            gray[j] = (byte)((rgba[i] * 299 + rgba[i + 1] * 587 + rgba[i + 2] * 114 + 500) / 1000);
    }

    static byte[] Resize(SKBitmap gray, int width, int height) =>
        GrayResampler.Resize(gray.GetPixelSpan(), gray.Width, gray.Height, width, height);

    internal static byte[] ReadAll(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }

    internal static void CheckPixels(int length, int width, int height, int channels)
    {
        if (width < 1 || height < 1)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be at least 1x1; got {width}x{height}.");
        if (length != (long)width * height * channels)
            throw new ArgumentException($"Expected {width}x{height}x{channels} = {(long)width * height * channels} values, got {length}.");
    }
}

/// <summary>Pixels to PNG through Skia.</summary>
internal static class PngWriter
{
    public static byte[] Encode(byte[] pixels, SKImageInfo info)
    {
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                             ?? throw new InvalidOperationException($"Skia could not encode a {info.Width}x{info.Height} {info.ColorType} PNG.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>RGB triplets (row-major) to an opaque PNG.</summary>
    public static byte[] EncodeRgb(byte[] rgb, int width, int height)
    {
        var rgba = new byte[width * height * 4];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgba[j] = rgb[i];
            rgba[j + 1] = rgb[i + 1];
            rgba[j + 2] = rgb[i + 2];
            rgba[j + 3] = 255;
        }
        return Encode(rgba, new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
    }
}
