using PneumoniaPortal.Core.Dataset;
using static TorchSharp.torch;

namespace PneumoniaPortal.Training.Data;

/// <summary>
/// How inputs are centred: by the mean and spread of all training pixels (stored with the run), or each image by its
/// own mean and spread, which makes the model blind to overall exposure and contrast.
/// </summary>
public sealed record InputNormalization(double Mean, double Std, bool PerImage = false)
{
    public Tensor Apply(Tensor unit)
    {
        if (!PerImage) return unit.sub((float)Mean).div_((float)Std);
        var mean = unit.mean([1, 2, 3], keepdim: true);
        var std = unit.std([1, 2, 3], keepdim: true).clamp_min(1e-3);
        return unit.sub(mean).div_(std);
    }
}

/// <summary>One split's images as one uint8 tensor [N,1,S,S] on the training device, with labels; batches are gathered from it.</summary>
public sealed class SplitTensors : IDisposable
{
    public IReadOnlyList<ImageRecord> Images { get; }
    public Tensor Pixels { get; }
    public Tensor Labels { get; }
    public int[] LabelArray { get; }
    public int Count => Images.Count;

    public SplitTensors(ImageCache cache, IReadOnlyList<ImageRecord> images, Device device)
    {
        Images = images.Where(cache.Contains).ToList();
        var size = cache.Size;
        var n = size * size;
        var buffer = new byte[(long)Images.Count * n];
        for (var i = 0; i < Images.Count; i++) cache.Pixels(Images[i]).CopyTo(buffer.AsSpan(i * n, n));
        LabelArray = Images.Select(i => (int)i.Label).ToArray();
        using var cpu = tensor(buffer, [Images.Count, 1, size, size]);
        Pixels = cpu.to(device);
        Labels = tensor(LabelArray.Select(l => (float)l).ToArray()).to(device);
    }

    /// <summary>Float images in [0,1] for the given positions, on the tensors' device.</summary>
    public Tensor Unit(Tensor indices) => Pixels.index_select(0, indices).to_type(ScalarType.Float32).div_(255f);

    public InputNormalization Normalization(bool perImage)
    {
        using var scope = NewDisposeScope();
        var sample = Pixels.to_type(ScalarType.Float32).div_(255f);
        return new InputNormalization(sample.mean().item<float>(), Math.Max(1e-3, sample.std().item<float>()), perImage);
    }

    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
    }
}
