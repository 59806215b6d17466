namespace PneumoniaPortal.Imaging;

/// <summary>
/// Activation mosaics: every feature map of one layer side by side in one picture, so a student sees what each
/// filter responds to.
/// </summary>
public static class MosaicRenderer
{
    static readonly (byte R, byte G, byte B) Gap = (24, 24, 24);

    /// <summary>
    /// Tiles feature maps (each <paramref name="mapWidth"/> x <paramref name="mapHeight"/> floats, row-major) into one
    /// PNG. Each map is normalised to its own min..max and drawn with viridis; tiles are separated by 1-px dark gaps,
    /// <paramref name="columns"/> per row (0: near-square grid), and enlarged by a whole factor (nearest pixel, so
    /// activations stay crisp) until the shorter side is at least <paramref name="minTilePixels"/>.
    /// </summary>
    public static byte[] RenderPng(IReadOnlyList<float[]> maps, int mapWidth, int mapHeight, int columns = 0, int minTilePixels = 32)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count == 0) throw new ArgumentException("There are no feature maps to draw.", nameof(maps));
        if (mapWidth < 1 || mapHeight < 1)
            throw new ArgumentOutOfRangeException(nameof(mapWidth), $"Feature maps must be at least 1x1; got {mapWidth}x{mapHeight}.");
        if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns), $"Columns must be 0 (automatic) or more; got {columns}.");
        for (var m = 0; m < maps.Count; m++)
        {
            if (maps[m] is null || maps[m].Length != mapWidth * mapHeight)
                throw new ArgumentException(
                    $"Feature map {m} has {maps[m]?.Length ?? 0} values; expected {mapWidth}x{mapHeight} = {mapWidth * mapHeight}.", nameof(maps));
        }

        var cols = columns > 0 ? Math.Min(columns, maps.Count) : (int)Math.Ceiling(Math.Sqrt(maps.Count));
        var rows = (maps.Count + cols - 1) / cols;
        var scale = Math.Max(1, (int)Math.Ceiling(Math.Max(1, minTilePixels) / (double)Math.Min(mapWidth, mapHeight)));
        int tileW = mapWidth * scale, tileH = mapHeight * scale;
        int width = cols * tileW + (cols - 1), height = rows * tileH + (rows - 1);
        if ((long)width * height > 100_000_000)
            throw new ArgumentException($"The mosaic would be {width}x{height} pixels; draw fewer maps or smaller tiles.");

        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i += 3) (rgb[i], rgb[i + 1], rgb[i + 2]) = Gap;

        for (var m = 0; m < maps.Count; m++)
        {
            var values = ColorMaps.Normalise(maps[m]);
            int left = m % cols * (tileW + 1), top = m / cols * (tileH + 1);
            for (var y = 0; y < tileH; y++)
            {
                var row = (top + y) * width;
                var source = y / scale * mapWidth;
                for (var x = 0; x < tileW; x++)
                {
                    var (r, g, b) = ColorMaps.Viridis(values[source + x / scale]);
                    var o = (row + left + x) * 3;
                    rgb[o] = r;
                    rgb[o + 1] = g;
                    rgb[o + 2] = b;
                }
            }
        }
        return PngWriter.EncodeRgb(rgb, width, height);
    }
}
