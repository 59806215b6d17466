namespace PneumoniaPortal.Imaging;

/// <summary>Colour maps for values in 0..1, as RGB bytes.</summary>
internal static class ColorMaps
{
    // matplotlib's viridis at 0, 0.1, ..., 1; linear interpolation between them is visually indistinguishable.
    static readonly byte[,] ViridisStops =
    {
        { 0x44, 0x01, 0x54 }, { 0x48, 0x24, 0x75 }, { 0x41, 0x44, 0x87 }, { 0x35, 0x5f, 0x8d },
        { 0x2a, 0x78, 0x8e }, { 0x21, 0x91, 0x8c }, { 0x22, 0xa8, 0x84 }, { 0x44, 0xbf, 0x70 },
        { 0x7a, 0xd1, 0x51 }, { 0xbd, 0xdf, 0x26 }, { 0xfd, 0xe7, 0x25 },
    };

    static readonly byte[] ViridisTable = BuildViridis();

    /// <summary>Dark blue-purple (0) through green to yellow (1); perceptually even and readable in gray print.</summary>
    public static (byte R, byte G, byte B) Viridis(float t)
    {
        var i = ToIndex(t) * 3;
        return (ViridisTable[i], ViridisTable[i + 1], ViridisTable[i + 2]);
    }

    /// <summary>The classic "jet" (blue, cyan, yellow, red) used by Grad-CAM examples.</summary>
    public static (byte R, byte G, byte B) Jet(float t)
    {
        t = Clamp01(t);
        return (Channel(1.5f - Math.Abs(4 * t - 3)), Channel(1.5f - Math.Abs(4 * t - 2)), Channel(1.5f - Math.Abs(4 * t - 1)));
    }

    static byte Channel(float v) => (byte)MathF.Round(Clamp01(v) * 255f);

    static float Clamp01(float t) => float.IsNaN(t) ? 0 : Math.Clamp(t, 0f, 1f);

    static int ToIndex(float t) => (int)MathF.Round(Clamp01(t) * 255f);

    static byte[] BuildViridis()
    {
        var table = new byte[256 * 3];
        var last = ViridisStops.GetLength(0) - 1;
        for (var i = 0; i < 256; i++)
        {
            var x = i / 255f * last;
            var lo = Math.Min((int)x, last - 1);
            var f = x - lo;
            for (var c = 0; c < 3; c++)
                table[i * 3 + c] = (byte)MathF.Round(ViridisStops[lo, c] + (ViridisStops[lo + 1, c] - ViridisStops[lo, c]) * f);
        }
        return table;
    }

    /// <summary>Scales values to 0..1 by their own min and max; a constant (or all-NaN) map becomes all zeros.</summary>
    public static float[] Normalise(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (!float.IsFinite(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        var result = new float[values.Length];
        var range = max - min;
        if (!(range > 0) || !float.IsFinite(range)) return result;
        for (var i = 0; i < values.Length; i++)
            result[i] = float.IsFinite(values[i]) ? (values[i] - min) / range : 0f;
        return result;
    }
}
