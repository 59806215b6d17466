using System.Collections.Concurrent;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training.Data;

namespace PneumoniaPortal.Web.RunSetup;

/// <summary>
/// Shows what training will do to an image: decodes it at the network's input size and runs the trainer's own
/// <see cref="Augmenter"/> on a batch of copies with a seeded <see cref="Random"/>, so a re-roll is a new seed. The
/// images come from the viewer's data set as they may see it: a held-back image's copy in another split of a re-split
/// set is never offered nor rendered.
/// </summary>
public sealed class AugmentationPreviewService(Func<CancellationToken, Task<Dataset.VisibleDataset>> visibleDataset)
{
    public const int Copies = 8;
    const int MaxCachedImages = 32;

    // By where the file is, not its name in a data set: two data sets may name different files alike.
    readonly ConcurrentDictionary<(string Source, string Path, int Size), byte[]> _decoded = new();

    /// <summary>A few training images, alternating NORMAL and PNEUMONIA, spread over the data set.</summary>
    public async Task<IReadOnlyList<PreviewChoice>> ChoicesAsync(int count = 6, CancellationToken ct = default)
    {
        var visible = await visibleDataset(ct);
        var images = visible.Dataset.Catalog.Images.Where((_, index) => visible.CanSee(index)).ToList();
        var pool = images.Where(i => i.Split == Split.Train).ToList();
        if (pool.Count == 0) pool = images;
        var groups = pool.GroupBy(i => i.Label).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var perLabel = (count + groups.Count - 1) / Math.Max(1, groups.Count);
        // Spread over each class's list rather than taking its first few files, then alternate the classes.
        var spread = groups.Select(g =>
        {
            var n = Math.Min(perLabel, g.Count);
            return Enumerable.Range(0, n).Select(j => g[(int)((long)j * g.Count / n)]).ToList();
        }).ToList();
        var picks = Enumerable.Range(0, perLabel)
            .SelectMany(j => spread.Where(s => j < s.Count).Select(s => s[j]))
            .Take(count)
            .Select(i => new PreviewChoice(i.RelativePath, i.Label))
            .ToList();
        return picks;
    }

    /// <exception cref="InvalidSettingsException">The augmentation settings are not valid, so training would refuse them too.</exception>
    public async Task<AugmentationPreview> RenderAsync(string relativePath, AugmentationSettings settings, int inputSize, int seed, CancellationToken ct = default)
    {
        InvalidSettingsException.ThrowIfAny(settings.Validate());
        var visible = await visibleDataset(ct);
        var catalog = visible.Dataset.Catalog;
        if (visible.Dataset.IndexOf(relativePath) is not { } index || !visible.CanSee(index))
            throw new ArgumentException($"The image {relativePath} is not in your data set.");
        var image = catalog.Images[index];
        // The preview follows the architecture's input size, but an impossible size must not stop it.
        var size = Math.Clamp(inputSize, 32, 512);
        return await Task.Run(() =>
        {
            var gray = Decode(catalog, image, size);
            var augmented = new Augmenter(settings).Preview(gray, size, Copies, seed);
            return new AugmentationPreview(relativePath, PngDataUrl(gray, size), augmented.Select(g => PngDataUrl(g, size)).ToList(), seed);
        }, ct);
    }

    byte[] Decode(ImageCatalog catalog, ImageRecord image, int size)
    {
        if (_decoded.Count > MaxCachedImages) _decoded.Clear();
        return _decoded.GetOrAdd((catalog.Source, image.RelativePath, size), _ => ImageDecoder.DecodeGray(catalog.ReadAllBytes(image), size));
    }

    static string PngDataUrl(byte[] gray, int size) =>
        "data:image/png;base64," + Convert.ToBase64String(ImageDecoder.EncodePng(gray, size, size));
}
