using PneumoniaPortal.Tests.Shared;
using SkiaSharp;

namespace PneumoniaPortal.Imaging.Tests;

public class ImageDecoderTests
{
    [Theory]
    [InlineData(300, 200, SKEncodedImageFormat.Png)]
    [InlineData(1000, 800, SKEncodedImageFormat.Jpeg)]
    [InlineData(1, 1, SKEncodedImageFormat.Png)]
    public void ProbeSize_reads_width_and_height_from_the_header(int width, int height, SKEncodedImageFormat format)
    {
        using var stream = new MemoryStream(GeneratedImages.Rgb(width, height, format));
        Assert.Equal((width, height), ImageDecoder.ProbeSize(stream));
    }

    [Fact]
    public void ProbeSize_of_text_says_it_is_not_a_readable_image()
    {
        using var stream = new MemoryStream("this is not an X-ray"u8.ToArray());
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.ProbeSize(stream));
        Assert.Contains("is not a readable JPEG or PNG image", error.Message);
    }

    [Fact]
    public void ProbeSize_of_an_empty_stream_says_it_is_not_a_readable_image()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.ProbeSize(new MemoryStream()));
        Assert.Contains("is not a readable JPEG or PNG image", error.Message);
    }

    [Theory]
    [InlineData(300, 200, 224)]
    [InlineData(1000, 800, 150)]
    [InlineData(10, 12, 64)]
    [InlineData(224, 224, 224)]
    public void DecodeGray_returns_one_byte_per_pixel_of_the_square(int width, int height, int size)
    {
        var gray = ImageDecoder.DecodeGray(GeneratedImages.Rgb(width, height, SKEncodedImageFormat.Jpeg), size);
        Assert.Equal(size * size, gray.Length);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 300, 200)]
    [InlineData(SKEncodedImageFormat.Jpeg, 1000, 800)]
    public void A_white_image_stays_white_after_decoding_and_resizing(SKEncodedImageFormat format, int width, int height)
    {
        var gray = ImageDecoder.DecodeGray(GeneratedImages.Solid(width, height, SKColors.White, format), 64);
        Assert.All(gray, v => Assert.InRange(v, 250, 255));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 300, 200, 64)]
    [InlineData(SKEncodedImageFormat.Jpeg, 1000, 800, 150)]
    [InlineData(SKEncodedImageFormat.Png, 40, 30, 128)]
    public void A_left_dark_right_bright_image_keeps_its_gradient_after_resizing(SKEncodedImageFormat format, int width, int height, int size)
    {
        var gray = ImageDecoder.DecodeGray(GeneratedImages.Rgb(width, height, format), size);
        var row = gray.AsSpan((size / 2) * size, size).ToArray();
        Assert.InRange(row[0], 0, 20);
        Assert.InRange(row[^1], 180, 255);
        for (var x = 8; x < size; x += 8) Assert.True(row[x] >= row[x - 8], $"column {x} is darker than column {x - 8}");
        // Stretched like Keras' target_size: the middle column is about half way.
        Assert.InRange(row[size / 2], row[^1] / 2 - 25, row[^1] / 2 + 25);
    }

    [Fact]
    public void Luminance_weighs_red_green_and_blue_as_PIL_does()
    {
        var gray = ImageDecoder.DecodeGray(GeneratedImages.Solid(8, 8, new SKColor(255, 0, 0)), 8);
        Assert.All(gray, v => Assert.Equal(76, v)); // 255 * 0.299
        gray = ImageDecoder.DecodeGray(GeneratedImages.Solid(8, 8, new SKColor(0, 255, 0)), 8);
        Assert.All(gray, v => Assert.Equal(150, v)); // 255 * 0.587
    }

    [Fact]
    public void Shrinking_averages_neighbours_as_PIL_bilinear_does()
    {
        // Columns 0, 0, 255, 255 halved: the triangle filter widened to 2 px gives weights 3/7, 3/7, 1/7.
        var png = ImageDecoder.EncodePng([0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255], 4, 4);
        Assert.Equal([36, 219, 36, 219], ImageDecoder.DecodeGray(png, 2));
    }

    [Fact]
    public void Enlarging_interpolates_linearly_between_pixel_centres()
    {
        var png = ImageDecoder.EncodePng([0, 200, 0, 200], 2, 2);
        var row = ImageDecoder.DecodeGray(png, 4)[..4];
        Assert.Equal([0, 50, 150, 200], row);
    }

    [Fact]
    public void A_grayscale_png_decodes_to_its_own_values()
    {
        var gray = ImageDecoder.DecodeGray(GeneratedImages.Gray(64, 32), 64);
        Assert.Equal(64 * 64, gray.Length);
        Assert.InRange(gray[10 * 64 + 2], 0, 10);
        Assert.InRange(gray[10 * 64 + 61], 245, 255);
    }

    [Fact]
    public void A_grayscale_jpeg_decodes()
    {
        var gray = ImageDecoder.DecodeGray(GeneratedImages.Gray(400, 400, SKEncodedImageFormat.Jpeg), 100);
        Assert.InRange(gray[50 * 100 + 5], 0, 20);
        Assert.InRange(gray[50 * 100 + 95], 235, 255);
    }

    [Fact]
    public void An_rgba_png_is_read_by_its_colour_ignoring_the_alpha_channel()
    {
        var gray = ImageDecoder.DecodeGray(GeneratedImages.Rgba(50, 40, 200), 32);
        Assert.All(gray, v => Assert.InRange(v, 195, 205));
    }

    [Fact]
    public void Decoding_a_truncated_jpeg_fails_with_a_clear_reason()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeGray(GeneratedImages.TruncatedJpeg(), 64));
        Assert.Contains("cut short", error.Message);
    }

    [Fact]
    public void Decoding_a_stream_gives_the_same_pixels_as_decoding_the_bytes()
    {
        var bytes = GeneratedImages.Rgb(123, 77, SKEncodedImageFormat.Jpeg);
        Assert.Equal(ImageDecoder.DecodeGray(bytes, 50), ImageDecoder.DecodeGray(new MemoryStream(bytes), 50));
    }

    [Fact]
    public void A_real_chest_xray_decodes_to_a_gray_square_with_contrast()
    {
        var file = Directory.EnumerateFiles(Path.Combine(TestData.Root, "train", "NORMAL")).Order(StringComparer.Ordinal).First();
        using var stream = File.OpenRead(file);
        var gray = ImageDecoder.DecodeGray(stream, 150);
        Assert.Equal(150 * 150, gray.Length);
        Assert.True(gray.Max() - gray.Min() > 100, "an X-ray has dark lungs and bright bones");
    }

    [Fact]
    public void EncodePng_round_trips_gray_pixels_exactly()
    {
        var gray = new byte[37 * 21];
        new Random(7).NextBytes(gray);
        var png = ImageDecoder.EncodePng(gray, 37, 21);
        Assert.Equal((37, 21), ImageDecoder.ProbeSize(new MemoryStream(png)));
        var (pixels, width, height) = ImageDecoder.DecodeGray(png);
        Assert.Equal((37, 21), (width, height));
        Assert.Equal(gray, pixels);
    }

    [Fact]
    public void EncodePng_refuses_a_pixel_count_that_does_not_match_the_size()
    {
        Assert.Throws<ArgumentException>(() => ImageDecoder.EncodePng(new byte[10], 4, 4));
    }
}
