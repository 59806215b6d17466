using System.Diagnostics;
using System.Text.Json;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Training.Native;

namespace PneumoniaPortal.Cli;

/// <summary>One preset at one size: training throughput against pure compute, data wait, predict latency, memory.</summary>
public sealed record BenchRow(
    string Preset, int ImageSize, int BatchSize, long Parameters, int TrainImages,
    double TrainImagesPerSecond, double ComputeImagesPerSecond, double EpochOverComputeRatio, double DataWaitFraction,
    double PredictP50Milliseconds, double PredictP95Milliseconds, double MemoryAfterFirstEpochMiB, double MemoryAfterLastEpochMiB);

public static class Bench
{
    public static Task<int> RunAsync(CliArguments a, TextWriter output, CancellationToken ct)
    {
        var presets = (a.Optional("presets") ?? string.Join(",", ArchitecturePresets.Names)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = (a.Optional("sizes") ?? "128,224").Split(',').Select(s => int.TryParse(s, out var v) ? v : throw new CliException($"--sizes: '{s}' is not a size.")).ToArray();
        var images = a.Int("images", 512);
        var epochs = a.Int("epochs", 2);
        var json = a.Flag("json");
        var log = json ? TextWriter.Null : output;
        var runtime = TorchRuntime.EnsureReady();
        log.WriteLine($"device {runtime.Device}, {runtime.Threads} threads, {Environment.ProcessorCount} cores; host libstdc++ has GLIBCXX_3.4.32: {runtime.HostHasGlibcxx3432} (native patch applied when it does not)");
        using var catalog = DatasetImporter.Open(a.Required("data"));
        var rows = new List<BenchRow>();
        foreach (var preset in presets)
        foreach (var size in sizes)
        {
            ct.ThrowIfCancellationRequested();
            var config = RunPresets.Get(preset);
            config = config with
            {
                Architecture = config.Architecture with { InputSize = size },
                Training = config.Training with { Epochs = epochs, MaxTrainImages = images, EarlyStoppingPatience = 0, Scheduler = SchedulerKind.None },
            };
            var dir = Path.Combine(Path.GetTempPath(), "pneumonia-bench", $"{preset}-{size}-{Guid.NewGuid():N}");
            try
            {
                var record = new Trainer(config, catalog, dir, new TrainerOptions { Evaluate = false }).Run(ct);
                var first = record.History[0];
                var last = record.History[^1];
                // Epoch 1 includes one-off warm-up; throughput is taken from the last epoch.
                var compute = ComputeBenchmark.ImagesPerSecond(config, batches: Math.Max(4, record.TrainImages / config.Training.BatchSize / 2));
                var (p50, p95) = PredictLatency(dir, catalog);
                var row = new BenchRow(preset, size, config.Training.BatchSize, record.Parameters, record.TrainImages,
                    last.ImagesPerSecond, compute, compute / last.ImagesPerSecond, last.DataWaitFraction, p50, p95,
                    first.ProcessMemoryBytes / 1048576.0, last.ProcessMemoryBytes / 1048576.0);
                rows.Add(row);
                log.WriteLine($"{preset,-14} {size,4}px  {row.Parameters,11:N0} params  train {row.TrainImagesPerSecond,7:0.0} img/s  compute {row.ComputeImagesPerSecond,7:0.0} img/s  " +
                              $"epoch/compute {row.EpochOverComputeRatio:0.00}x  data wait {row.DataWaitFraction:P1}  predict p50 {p50:0.0} ms p95 {p95:0.0} ms  " +
                              $"RSS {row.MemoryAfterFirstEpochMiB:0} -> {row.MemoryAfterLastEpochMiB:0} MiB");
            }
            finally
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
        }
        if (json) output.WriteLine(JsonSerializer.Serialize(new { device = runtime.Device, threads = runtime.Threads, images, epochs, rows }, RunFolder.Json));
        if (a.Optional("out") is { } file) File.WriteAllText(file, JsonSerializer.Serialize(new { device = runtime.Device, threads = runtime.Threads, images, epochs, rows }, RunFolder.Json));
        return Task.FromResult(0);
    }

    /// <summary>Decode + predict of single test images, the way the portal's predict page does it.</summary>
    static (double P50, double P95) PredictLatency(string runDir, ImageCatalog catalog)
    {
        using var run = TrainedRun.Open(runDir);
        var images = catalog.Images.Where(i => i.Split == Split.Test).Take(40).ToList();
        var times = new List<double>();
        foreach (var (image, i) in images.Select((im, i) => (im, i)))
        {
            using var stream = catalog.OpenRead(image);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var watch = Stopwatch.StartNew();
            run.Predict(run.Decode(memory.ToArray()));
            if (i >= 5) times.Add(watch.Elapsed.TotalMilliseconds); // the first calls warm up the allocator
        }
        times.Sort();
        return times.Count == 0 ? (0, 0) : (times[times.Count / 2], times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)]);
    }
}
