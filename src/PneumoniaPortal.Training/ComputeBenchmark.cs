using System.Diagnostics;
using PneumoniaPortal.Core.Runs;
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
    /// <summary>
    /// Measures this machine's <see cref="ComputeSpeed"/> on <paramref name="device"/> in a few seconds: one network that
    /// is nearly all multiply-adds (wide convolutions on small maps) and one that is nearly all memory traffic (narrow
    /// 1x1 convolutions on big maps), each timed over whole training steps; the two unknowns follow from the two times.
    /// </summary>
    public static ComputeSpeed Calibrate(string device = "auto")
    {
        var arithmetic = new RunConfig
        {
            Architecture = new ArchitectureSpec { InputSize = 32, Channels = 1, Blocks = [new(16), new(512, Downsample: false), new(1024, Downsample: false)] },
            Training = new TrainingSettings { BatchSize = 8, Device = device },
        };
        var memory = new RunConfig
        {
            Architecture = new ArchitectureSpec { InputSize = 128, Channels = 1, Blocks = [new(8, Kernel: 1, Convs: 3, Downsample: false)] },
            Training = new TrainingSettings { BatchSize = 32, Device = device },
        };
        var (a, b) = (NetworkCost.Of(arithmetic.Architecture), NetworkCost.Of(memory.Architecture));
        // The median step: a neighbour process taking a core for a moment moves one step, not the result.
        static double PerImage(RunConfig c)
        {
            var steps = new List<double>();
            var last = TimeSpan.Zero;
            Steps(c, 1, watch => { steps.Add((watch.Elapsed - last).TotalSeconds); last = watch.Elapsed; return steps.Count < 7; });
            return steps.Order().ElementAt(steps.Count / 2) / c.Training.BatchSize;
        }
        var ta = PerImage(arithmetic);
        var tb = PerImage(memory);
        // ta = a.M * perMac + a.V * perValue; tb = b.M * perMac + b.V * perValue.
        var det = a.TrainingMacs * b.ActivationValues - b.TrainingMacs * a.ActivationValues;
        var perMac = (ta * b.ActivationValues - tb * a.ActivationValues) / det;
        var perValue = (a.TrainingMacs * tb - b.TrainingMacs * ta) / det;
        // Noise can push one below zero on a machine where it hardly matters; a tenth of the reference keeps it sane.
        perMac = Math.Max(perMac, ComputeSpeed.Reference.SecondsPerMac / 10);
        perValue = Math.Max(perValue, ComputeSpeed.Reference.SecondsPerValue / 10);
        var picked = TorchRuntime.PickDevice(device).type.ToString().ToLowerInvariant();
        return new ComputeSpeed(perMac, perValue, ComputeSpeed.Reference.Correction, picked, DateTimeOffset.UtcNow);
    }

    public static double ImagesPerSecond(RunConfig config, int batches, int warmupBatches = 2)
    {
        var done = 0;
        var elapsed = Steps(config, warmupBatches, _ => ++done < batches);
        return batches * config.Training.BatchSize / elapsed.TotalSeconds;
    }

    /// <summary>Times training steps after the warm-up ones while <paramref name="more"/> (asked after each timed step) says so.</summary>
    static TimeSpan Steps(RunConfig config, int warmupBatches, Func<Stopwatch, bool> more)
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
        for (var b = 0; ; b++)
        {
            if (b == warmupBatches) watch.Start();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = F.binary_cross_entropy_with_logits(net.call(x), y);
            loss.backward();
            optimizer.step();
            _ = loss.item<float>(); // waits for the device like the trainer's per-batch loss read does
            if (b >= warmupBatches && !more(watch)) return watch.Elapsed;
        }
    }
}
