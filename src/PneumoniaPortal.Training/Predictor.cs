using PneumoniaPortal.Training.Data;
using PneumoniaPortal.Training.Models;
using static TorchSharp.torch;

namespace PneumoniaPortal.Training;

/// <summary>PNEUMONIA probabilities in eval mode, in batches, optionally averaged with the mirrored image (test-time augmentation).</summary>
public static class Predictor
{
    const int BatchSize = 64;

    public static float[] Probabilities(PneumoniaNet net, SplitTensors split, InputNormalization norm, bool tta)
    {
        var result = new float[split.Count];
        var device = split.Pixels.device;
        for (var start = 0; start < split.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(BatchSize, split.Count - start);
            var idx = arange(start, start + count, dtype: ScalarType.Int64, device: device);
            Probabilities(net, split.Unit(idx), norm, tta).CopyTo(result, start);
        }
        return result;
    }

    /// <param name="unit">Images in [0,1], [B,1,H,W].</param>
    public static float[] Probabilities(PneumoniaNet net, Tensor unit, InputNormalization norm, bool tta)
    {
        var wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var x = norm.Apply(unit);
            var p = sigmoid(net.call(x));
            if (tta) p = (p + sigmoid(net.call(x.flip(3)))) / 2;
            return p.cpu().data<float>().ToArray();
        }
        finally
        {
            if (wasTraining) net.train();
        }
    }
}
