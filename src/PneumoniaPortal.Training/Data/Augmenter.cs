using PneumoniaPortal.Core.Settings;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PneumoniaPortal.Training.Data;

/// <summary>
/// The seed notebooks' ImageDataGenerator changes, done on a whole batch at once on the training device: one affine
/// warp (rotation, shifts, shear, zoom, flip) through <c>grid_sample</c>, then brightness and contrast.
/// Random draws come from a seeded <see cref="Random"/>, so a batch is the same after a resume.
/// </summary>
public sealed class Augmenter(AugmentationSettings settings)
{
    public AugmentationSettings Settings { get; } = settings;

    /// <summary>
    /// <paramref name="copies"/> augmented copies of one 8-bit gray <paramref name="size"/>x<paramref name="size"/> image,
    /// as 8-bit gray pixels (the set-up form's preview), the same for the same <paramref name="seed"/>.
    /// </summary>
    public IReadOnlyList<byte[]> Preview(byte[] gray, int size, int copies, int seed)
    {
        Native.TorchRuntime.EnsureReady();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var one = tensor(gray.Select(b => b / 255f).ToArray(), [1, 1, size, size]);
        var batch = one.expand(copies, 1, size, size).contiguous();
        var pixels = Apply(batch, new Random(seed)).contiguous().data<float>().ToArray();
        var plane = size * size;
        return Enumerable.Range(0, copies)
            .Select(i => pixels.AsSpan(i * plane, plane).ToArray().Select(v => (byte)Math.Clamp(MathF.Round(v * 255f), 0, 255)).ToArray())
            .ToList();
    }

    /// <param name="images">Float images in [0,1], shape [B,C,H,W], on any device.</param>
    public Tensor Apply(Tensor images, Random random)
    {
        if (!Settings.Enabled) return images.alias();
        using var scope = NewDisposeScope();
        var b = (int)images.shape[0];
        var theta = new float[b * 6];
        var gain = new float[b];
        var contrast = new float[b];
        for (var i = 0; i < b; i++)
        {
            var angle = Uniform(random, Settings.RotationDegrees) * Math.PI / 180;
            var shear = Uniform(random, Settings.ShearDegrees) * Math.PI / 180;
            var zoom = 1 + Uniform(random, Settings.Zoom);
            var flip = Settings.HorizontalFlip && random.NextDouble() < 0.5 ? -1.0 : 1.0;
            // grid_sample coordinates span [-1,1], so a shift of f of the width is 2f.
            var tx = 2 * Uniform(random, Settings.WidthShift);
            var ty = 2 * Uniform(random, Settings.HeightShift);
            // Output -> input mapping: rotate, then shear, then scale by 1/zoom (zoom > 1 magnifies).
            double cos = Math.Cos(angle), sin = Math.Sin(angle), tan = Math.Tan(shear);
            double a00 = cos, a01 = -sin + cos * tan, a10 = sin, a11 = cos + sin * tan;
            theta[i * 6 + 0] = (float)(a00 * flip / zoom);
            theta[i * 6 + 1] = (float)(a01 / zoom);
            theta[i * 6 + 2] = (float)tx;
            theta[i * 6 + 3] = (float)(a10 * flip / zoom);
            theta[i * 6 + 4] = (float)(a11 / zoom);
            theta[i * 6 + 5] = (float)ty;
            gain[i] = (float)(1 + Uniform(random, Settings.Brightness));
            contrast[i] = (float)(1 + Uniform(random, Settings.Contrast));
        }
        var device = images.device;
        var grid = F.affine_grid(tensor(theta, [b, 2, 3]).to(device), images.shape, align_corners: false);
        var warped = F.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        var mean = warped.mean([1, 2, 3], keepdim: true);
        var c = tensor(contrast, [b, 1, 1, 1]).to(device);
        var g = tensor(gain, [b, 1, 1, 1]).to(device);
        var result = ((warped - mean) * c + mean) * g;
        return result.clamp_(0, 1).MoveToOuterDisposeScope();
    }

    static double Uniform(Random random, double range) => range <= 0 ? 0 : (random.NextDouble() * 2 - 1) * range;
}
