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
        if (a.Optional("activations") is not null || a.Optional("run") is not null) return Task.FromResult(ActivationBench.Run(a, output, ct));
        if (a.Flag("estimate")) return Task.FromResult(EstimateBench.Run(a, output, ct));
        var (presets, sizes) = PresetsAndSizes(a, "128,224");
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

    /// <summary>The presets (<c>--presets</c>, default all) and input sizes (<c>--sizes</c>) a bench runs.</summary>
    internal static (string[] Presets, int[] Sizes) PresetsAndSizes(CliArguments a, string defaultSizes) => (
        (a.Optional("presets") ?? string.Join(",", ArchitecturePresets.Names)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        (a.Optional("sizes") ?? defaultSizes).Split(',').Select(s => int.TryParse(s, out var v) ? v : throw new CliException($"--sizes: '{s}' is not a size.")).ToArray());

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

/// <summary>One image's mosaics + Grad-CAM (what the portal's Activations tab computes), cold and warm.</summary>
public sealed record ActivationBenchResult(
    string Preset, int ImageSize, int ConvBlocks, long Parameters, int Images,
    double ColdFirstInProcessMilliseconds, double ColdReloadMilliseconds, double ModelLoadMilliseconds,
    double WarmP50Milliseconds, double WarmP95Milliseconds, double WarmMosaicsP50Milliseconds, double WarmGradCamP50Milliseconds);

/// <summary>
/// <c>bench --data DIR --activations PRESET [--sizes 224] [--images 64] [--repeat 20]</c> trains one short run of the preset
/// at that size (or uses <c>--run RUNDIR</c>) and times decode + every conv block's mosaic + Grad-CAM for single test images.
/// </summary>
public static class ActivationBench
{
    public static int Run(CliArguments a, TextWriter output, CancellationToken ct)
    {
        var json = a.Flag("json");
        var log = json ? TextWriter.Null : output;
        var runtime = TorchRuntime.EnsureReady();
        using var catalog = DatasetImporter.Open(a.Required("data"));
        var tests = catalog.Images.Where(i => i.Split == Split.Test).Take(a.Int("repeat", 20) + 1).Select(catalog.ReadAllBytes).ToList();
        if (tests.Count < 2) throw new CliException("The data set needs at least two test images to time.");
        var preset = a.Optional("activations") ?? "run";
        var size = int.TryParse((a.Optional("sizes") ?? "224").Split(',')[0], out var s) ? s : throw new CliException("--sizes: not a size.");
        var dir = a.Optional("run");
        var trained = dir is null;
        if (dir is null)
        {
            var config = RunPresets.Get(preset);
            config = config with
            {
                Architecture = config.Architecture with { InputSize = size },
                Training = config.Training with { Epochs = 1, MaxTrainImages = a.Int("images", 64), EarlyStoppingPatience = 0, Scheduler = SchedulerKind.None },
            };
            dir = Path.Combine(Path.GetTempPath(), "pneumonia-bench", $"activations-{preset}-{size}-{Guid.NewGuid():N}");
            log.WriteLine($"training one short epoch of {preset} at {size} px to have weights to explore...");
            new Trainer(config, catalog, dir, new TrainerOptions { Evaluate = false }).Run(ct);
        }
        try
        {
            // Cold, first in the process: model load, decode, both passes and every PNG, with Torch's one-off warm-up.
            var watch = Stopwatch.StartNew();
            double coldFirst;
            var (total, mosaics, gradCam) = (new List<double>(), new List<double>(), new List<double>());
            using (var run = TrainedRun.Open(dir))
            {
                Compute(run, tests[0]);
                coldFirst = watch.Elapsed.TotalMilliseconds;
                foreach (var image in tests.Skip(1))
                {
                    ct.ThrowIfCancellationRequested();
                    var (m, g) = Compute(run, image);
                    mosaics.Add(m);
                    gradCam.Add(g);
                    total.Add(m + g);
                }
            }
            // Cold again as the portal sees it after its idle unload: load the checkpoint, then one image.
            watch.Restart();
            using var reopened = TrainedRun.Open(dir);
            var load = watch.Elapsed.TotalMilliseconds;
            Compute(reopened, tests[0]);
            var reload = watch.Elapsed.TotalMilliseconds;
            var result = new ActivationBenchResult(preset, reopened.InputSize, reopened.Nets[0].FeatureStages.Count, reopened.Record.Parameters, total.Count,
                coldFirst, reload, load, Percentile(total, 0.5), Percentile(total, 0.95), Percentile(mosaics, 0.5), Percentile(gradCam, 0.5));
            log.WriteLine($"device {runtime.Device}, {runtime.Threads} threads, {Environment.ProcessorCount} cores");
            log.WriteLine($"{result.Preset} {result.ImageSize} px, {result.ConvBlocks} conv blocks, {result.Parameters:N0} params: " +
                          $"cold (first in process) {result.ColdFirstInProcessMilliseconds:0} ms, cold (reload) {result.ColdReloadMilliseconds:0} ms " +
                          $"(model load {result.ModelLoadMilliseconds:0} ms), warm p50 {result.WarmP50Milliseconds:0} ms p95 {result.WarmP95Milliseconds:0} ms " +
                          $"(mosaics {result.WarmMosaicsP50Milliseconds:0} ms + Grad-CAM {result.WarmGradCamP50Milliseconds:0} ms) over {result.Images} images");
            var report = JsonSerializer.Serialize(new { device = runtime.Device, threads = runtime.Threads, cores = Environment.ProcessorCount, activations = result }, RunFolder.Json);
            if (json) output.WriteLine(report);
            if (a.Optional("out") is { } file) File.WriteAllText(file, report);
            return 0;
        }
        finally
        {
            if (trained && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Decode + mosaics of every conv block (PNGs included), then Grad-CAM: milliseconds of each part.</summary>
    static (double Mosaics, double GradCam) Compute(TrainedRun run, byte[] encoded)
    {
        var watch = Stopwatch.StartNew();
        var gray = run.Decode(encoded);
        ActivationExplorer.Mosaics(run, gray);
        var mosaics = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        ActivationExplorer.GradCam(run, gray);
        return (mosaics, watch.Elapsed.TotalMilliseconds);
    }

    static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(sorted.Count * p) - 1))];
    }
}
