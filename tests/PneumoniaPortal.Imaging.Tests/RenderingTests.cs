using SkiaSharp;

namespace PneumoniaPortal.Imaging.Tests;

public class MosaicRendererTests
{
    static float[] Ramp(int count, float scale = 1) => Enumerable.Range(0, count).Select(i => i * scale).ToArray();

    [Fact]
    public void Five_maps_tile_into_a_near_square_grid_with_one_pixel_gaps()
    {
        var maps = Enumerable.Range(0, 5).Select(m => Ramp(64, m + 1)).ToArray();
        var png = MosaicRenderer.RenderPng(maps, 8, 8);

        using var bitmap = GeneratedImages.DecodeBack(png);
        // 3 columns x 2 rows of 8x8 maps enlarged 4x to 32x32, with 1-px gaps between tiles.
        Assert.Equal((3 * 32 + 2, 2 * 32 + 1), (bitmap.Width, bitmap.Height));
        var gap = bitmap.GetPixel(32, 10);
        Assert.True(gap.Red < 40 && gap.Green < 40 && gap.Blue < 40, $"the gap should be dark, was {gap}");
        // Viridis: the smallest value is dark purple, the largest yellow.
        var low = bitmap.GetPixel(0, 0);
        var high = bitmap.GetPixel(31, 31);
        Assert.True(low.Blue > low.Green && low.Red < 100, $"low should be purple, was {low}");
        Assert.True(high.Red > 200 && high.Green > 200 && high.Blue < 80, $"high should be yellow, was {high}");
        // The empty sixth cell stays gap colour.
        Assert.Equal(gap, bitmap.GetPixel(bitmap.Width - 5, bitmap.Height - 5));
    }

    [Fact]
    public void Columns_and_tile_size_follow_the_request()
    {
        var maps = Enumerable.Range(0, 6).Select(_ => Ramp(12 * 10)).ToArray();
        using var bitmap = GeneratedImages.DecodeBack(MosaicRenderer.RenderPng(maps, 12, 10, columns: 6, minTilePixels: 25));
        // Scale 3 makes the shorter side (10) at least 25.
        Assert.Equal((6 * 36 + 5, 30), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void A_constant_map_draws_without_dividing_by_zero()
    {
        var maps = new[] { new float[16], Enumerable.Repeat(3.5f, 16).ToArray(), Enumerable.Repeat(float.NaN, 16).ToArray() };
        using var bitmap = GeneratedImages.DecodeBack(MosaicRenderer.RenderPng(maps, 4, 4, minTilePixels: 4));
        Assert.Equal((2 * 4 + 1, 2 * 4 + 1), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void Maps_of_the_wrong_length_are_refused_with_the_expected_size()
    {
        var error = Assert.Throws<ArgumentException>(() => MosaicRenderer.RenderPng([new float[15]], 4, 4));
        Assert.Contains("4x4 = 16", error.Message);
        Assert.Throws<ArgumentException>(() => MosaicRenderer.RenderPng([], 4, 4));
    }
}

public class HeatmapOverlayTests
{
    static byte[] MidGray(int size) => Enumerable.Repeat((byte)128, size * size).ToArray();

    [Fact]
    public void The_overlay_is_a_png_of_the_image_size_hot_where_the_heat_is_high()
    {
        // 7x7 heat, hottest in the top-left corner.
        var heat = new float[49];
        for (var y = 0; y < 7; y++)
            for (var x = 0; x < 7; x++)
                heat[y * 7 + x] = -(x + y);
        var png = HeatmapOverlay.RenderPng(MidGray(150), 150, heat, 7, 7, alpha: 0.6f);

        using var bitmap = GeneratedImages.DecodeBack(png);
        Assert.Equal((150, 150), (bitmap.Width, bitmap.Height));
        var hot = bitmap.GetPixel(2, 2);
        var cold = bitmap.GetPixel(147, 147);
        Assert.True(hot.Red > hot.Blue + 60, $"the hot corner should be red, was {hot}");
        Assert.True(cold.Blue > cold.Red + 40, $"the cold corner should be blue, was {cold}");
    }

    [Fact]
    public void With_alpha_zero_the_overlay_is_the_gray_image()
    {
        var gray = Enumerable.Range(0, 32 * 32).Select(i => (byte)(i % 256)).ToArray();
        using var bitmap = GeneratedImages.DecodeBack(HeatmapOverlay.RenderPng(gray, 32, [0f, 1f, 2f, 3f], 2, 2, alpha: 0));
        for (var i = 0; i < gray.Length; i += 37)
            Assert.Equal(new SKColor(gray[i], gray[i], gray[i]), bitmap.GetPixel(i % 32, i / 32));
    }

    [Fact]
    public void A_constant_heat_map_draws_without_dividing_by_zero()
    {
        using var bitmap = GeneratedImages.DecodeBack(HeatmapOverlay.RenderPng(MidGray(64), 64, Enumerable.Repeat(0.7f, 9).ToArray(), 3, 3));
        Assert.Equal((64, 64), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void Mismatched_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => HeatmapOverlay.RenderPng(new byte[10], 4, new float[4], 2, 2));
        Assert.Throws<ArgumentException>(() => HeatmapOverlay.RenderPng(MidGray(4), 4, new float[5], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeatmapOverlay.RenderPng(MidGray(4), 4, new float[4], 2, 2, alpha: 1.5f));
    }
}
