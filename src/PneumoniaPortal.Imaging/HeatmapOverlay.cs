namespace PneumoniaPortal.Imaging;

/// <summary>Grad-CAM pictures: where in the X-ray the network looked, painted over the X-ray.</summary>
public static class HeatmapOverlay
{
    /// <summary>
    /// Blends a heat map over a gray image. The heat (any range) is normalised to 0..1 by its own min and max,
    /// upsampled bilinearly (pixel centres aligned) to <paramref name="size"/> x <paramref name="size"/>, coloured
    /// with a jet-like map and mixed in at <paramref name="alpha"/> (0: only the X-ray, 1: only the heat).
    /// </summary>
    public static byte[] RenderPng(byte[] gray, int size, float[] heat, int heatWidth, int heatHeight, float alpha = 0.45f)
    {
        ArgumentNullException.ThrowIfNull(gray);
        ArgumentNullException.ThrowIfNull(heat);
        ImageDecoder.CheckPixels(gray.Length, size, size, 1);
        if (heatWidth < 1 || heatHeight < 1)
            throw new ArgumentOutOfRangeException(nameof(heatWidth), $"The heat map must be at least 1x1; got {heatWidth}x{heatHeight}.");
        if (heat.Length != heatWidth * heatHeight)
            throw new ArgumentException($"The heat map has {heat.Length} values; expected {heatWidth}x{heatHeight} = {heatWidth * heatHeight}.", nameof(heat));
        if (!(alpha >= 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"Alpha must be between 0 and 1; got {alpha}.");

        var normalised = ColorMaps.Normalise(heat);
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            var (y0, y1, fy) = Neighbours(y, size, heatHeight);
            for (var x = 0; x < size; x++)
            {
                var (x0, x1, fx) = Neighbours(x, size, heatWidth);
                var top = normalised[y0 * heatWidth + x0] * (1 - fx) + normalised[y0 * heatWidth + x1] * fx;
                var bottom = normalised[y1 * heatWidth + x0] * (1 - fx) + normalised[y1 * heatWidth + x1] * fx;
                var (r, g, b) = ColorMaps.Jet(top * (1 - fy) + bottom * fy);
                var p = y * size + x;
                float v = gray[p], keep = 1 - alpha;
                rgb[p * 3] = (byte)MathF.Round(v * keep + r * alpha);
                rgb[p * 3 + 1] = (byte)MathF.Round(v * keep + g * alpha);
                rgb[p * 3 + 2] = (byte)MathF.Round(v * keep + b * alpha);
            }
        }
        return PngWriter.EncodeRgb(rgb, size, size);
    }

    /// <summary>The two source samples around output pixel <paramref name="i"/> and the weight of the second.</summary>
    static (int Lo, int Hi, float Weight) Neighbours(int i, int outputSize, int sourceSize)
    {
        var s = (i + 0.5f) * sourceSize / outputSize - 0.5f;
        s = Math.Clamp(s, 0, sourceSize - 1);
        var lo = (int)s;
        var hi = Math.Min(lo + 1, sourceSize - 1);
        return (lo, hi, s - lo);
    }
}
