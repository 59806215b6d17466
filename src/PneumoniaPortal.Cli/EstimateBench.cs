using System.Text.Json;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Training.Native;

namespace PneumoniaPortal.Cli;

/// <summary>One preset: the epoch the portal's run form would promise, and the epoch the trainer then took.</summary>
public sealed record EstimateRow(string Preset, int ImageSize, int TrainImages, int ValidationImages, double ForwardGMacs, double ActivationMValues,
    double BatchMemoryMiB, double EstimatedEpochSeconds, double FirstEpochSeconds, double LastEpochSeconds, double ActualOverEstimate);

/// <summary>
/// <c>bench --estimate</c>: calibrates this machine as a worker does at start, estimates each preset's epoch as the run
/// form does, trains it, and compares (docs/benchmarks.md "Run cost estimate").
/// </summary>
public static class EstimateBench
{
    public static int Run(CliArguments a, TextWriter output, CancellationToken ct)
    {
        var (presets, sizes) = Bench.PresetsAndSizes(a, "128");
        var images = a.Int("images", 800);
        var epochs = a.Int("epochs", 2);
        var json = a.Flag("json");
        var log = json ? TextWriter.Null : output;
        var runtime = TorchRuntime.EnsureReady();
        var speed = ComputeBenchmark.Calibrate();
        log.WriteLine($"device {runtime.Device}, {runtime.Threads} threads; calibrated {1e-9 / speed.SecondsPerMac:0.0} GMAC/s, " +
                      $"{1e-6 / speed.SecondsPerValue:0.0} M activation values/s, starting correction {speed.Correction:0.00}");
        using var catalog = DatasetImporter.Open(a.Required("data"));
        var pool = catalog.Images.Count(i => i.Split != Split.Test);
        var test = catalog.Images.Count(i => i.Split == Split.Test);
        var rows = new List<EstimateRow>();
        foreach (var preset in presets)
            foreach (var size in sizes)
            {
                ct.ThrowIfCancellationRequested();
                var config = RunPresets.Get(preset);
                config = config with
                {
                    Architecture = config.Architecture with { InputSize = size },
                    Training = config.Training with { Epochs = epochs, MaxTrainImages = images, EarlyStoppingPatience = 0 },
                };
                var estimate = RunEstimate.For(config, pool, test, speed);
                var dir = Path.Combine(Path.GetTempPath(), "pneumonia-estimate", $"{preset}-{size}-{Guid.NewGuid():N}");
                try
                {
                    var record = new Trainer(config, catalog, dir, new TrainerOptions { Evaluate = false }).Run(ct);
                    var row = new EstimateRow(preset, size, record.TrainImages, record.ValidationImages, estimate.Cost.ForwardMacs / 1e9,
                        estimate.Cost.ActivationValues / 1e6, estimate.BatchMemoryMiB, estimate.EpochSeconds,
                        record.History[0].Seconds, record.History[^1].Seconds, record.History[^1].Seconds / estimate.EpochSeconds);
                    rows.Add(row);
                    log.WriteLine($"{preset,-14} {size,4}px  train {row.TrainImages,5} val {row.ValidationImages,4}  {row.ForwardGMacs,6:0.000} GMAC  " +
                                  $"{row.ActivationMValues,6:0.00} M values  batch {row.BatchMemoryMiB,7:0} MiB  epoch estimated {row.EstimatedEpochSeconds,6:0.0} s, " +
                                  $"actual {row.FirstEpochSeconds,6:0.0} s then {row.LastEpochSeconds,6:0.0} s  actual/estimate {row.ActualOverEstimate:0.00}");
                }
                finally
                {
                    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                }
            }
        var report = new { device = runtime.Device, threads = runtime.Threads, images, epochs, speed, rows };
        if (json) output.WriteLine(JsonSerializer.Serialize(report, RunFolder.Json));
        if (a.Optional("out") is { } file) File.WriteAllText(file, JsonSerializer.Serialize(report, RunFolder.Json));
        return 0;
    }
}
