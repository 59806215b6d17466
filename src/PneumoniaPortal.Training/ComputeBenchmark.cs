using System.Diagnostics;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Training.Native;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PneumoniaPortal.Training;

/// <summary>Pure compute: the same net, optimizer and batch shape on random tensors, no data pipeline — the floor an epoch is compared to.</summary>
public static class ComputeBenchmark
{
    public static double ImagesPerSecond(RunConfig config, int batches, int warmupBatches = 2)
    {
        TorchRuntime.EnsureReady();
        var device = TorchRuntime.PickDevice(config.Training.Device);
        var t = config.Training;
        var size = config.Architecture.InputSize;
        using var net = new PneumoniaNet(config.Architecture);
        net.to(device);
        net.train();
        using var optimizer = optim.AdamW(net.parameters(), t.LearningRate);
        manual_seed(1);
        using var x = randn(t.BatchSize, 1, size, size).to(device);
        using var y = randint(0, 2, [t.BatchSize]).to_type(ScalarType.Float32).to(device);
        var watch = new Stopwatch();
        for (var b = 0; b < warmupBatches + batches; b++)
        {
            if (b == warmupBatches) watch.Start();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = F.binary_cross_entropy_with_logits(net.call(x), y);
            loss.backward();
            optimizer.step();
            _ = loss.item<float>(); // waits for the device like the trainer's per-batch loss read does
        }
        return batches * t.BatchSize / watch.Elapsed.TotalSeconds;
    }
}
