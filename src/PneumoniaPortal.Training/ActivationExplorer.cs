using PneumoniaPortal.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace PneumoniaPortal.Training;

/// <summary>One PNG mosaic of a layer's feature maps.</summary>
public sealed record LayerMosaic(string Layer, int Channels, int ShownChannels, int MapSize, byte[] Png);

/// <summary>What a model "looks at" for one image: the feature maps of every conv block, and a Grad-CAM overlay.</summary>
public static class ActivationExplorer
{
    /// <summary>More maps than this in one mosaic become unreadable thumbnails; the first ones are shown.</summary>
    public const int MaxMapsPerMosaic = 64;

    public static IReadOnlyList<LayerMosaic> Mosaics(TrainedRun run, byte[] gray)
    {
        var net = run.Nets[0];
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        net.eval();
        var x = net.ToModelChannels(run.State.Normalization.Apply(run.Unit(gray)));
        var result = new List<LayerMosaic>();
        foreach (var (name, module) in net.FeatureStages)
        {
            x = module.call(x);
            var channels = (int)x.shape[1];
            var h = (int)x.shape[2];
            var w = (int)x.shape[3];
            var shown = Math.Min(channels, MaxMapsPerMosaic);
            var data = x[0].narrow(0, 0, shown).contiguous().cpu().data<float>().ToArray();
            var maps = Enumerable.Range(0, shown).Select(c => data.AsSpan(c * h * w, h * w).ToArray()).ToList();
            result.Add(new LayerMosaic(name, channels, shown, h, MosaicRenderer.RenderPng(maps, w, h)));
        }
        return result;
    }

    /// <summary>
    /// Grad-CAM on the last conv block: feature maps weighted by the mean gradient of the PNEUMONIA logit. Of the run's
    /// (first) network, or of <paramref name="network"/>, one of the same architecture (<see cref="Randomised"/>).
    /// </summary>
    public static (byte[] Png, float[] Heat, int Size) GradCam(TrainedRun run, byte[] gray, Models.PneumoniaNet? network = null)
    {
        var net = network ?? run.Nets[0];
        using var scope = NewDisposeScope();
        net.eval();
        var x = net.ToModelChannels(run.State.Normalization.Apply(run.Unit(gray)));
        foreach (var (_, module) in net.FeatureStages) x = module.call(x);
        var features = x.detach().requires_grad_(true);
        var logit = net.Head.call(features).sum();
        logit.backward();
        var weights = features.grad!.mean([2, 3], keepdim: true);
        net.zero_grad(); // the backward pass also filled the weights' gradients; a long-lived run must not keep them
        var cam = (weights * features).sum(1).relu()[0].detach().contiguous().cpu();
        var h = (int)cam.shape[0];
        var heat = cam.data<float>().ToArray();
        return (HeatmapOverlay.RenderPng(gray, run.InputSize, heat, (int)cam.shape[1], h), heat, h);
    }

    /// <summary>
    /// The model-randomisation copy of the sanity check (Adebayo et al. 2018): the run's architecture with every conv and
    /// dense weight drawn again at random (He normal, from its own generator with this seed, so the check repeats
    /// exactly), biases zero and batch norm at its starting values: a network that learned nothing.
    /// </summary>
    public static Models.PneumoniaNet Randomised(TrainedRun run, int seed)
    {
        var net = new Models.PneumoniaNet(run.Record.Config.Architecture);
        var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var (name, parameter) in net.named_parameters())
            {
                if (parameter.dim() >= 2)
                {
                    var fanIn = parameter.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                    using var drawn = randn(parameter.shape, generator: generator) * Math.Sqrt(2.0 / fanIn);
                    parameter.copy_(drawn);
                }
                else if (name.EndsWith("bias", StringComparison.Ordinal))
                    parameter.zero_();
            }
        }
        net.to(run.Device);
        net.eval();
        return net;
    }
}
