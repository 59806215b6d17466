using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PneumoniaPortal.Training;

namespace PneumoniaPortal.Web.Results;

/// <summary>
/// The files of a finished run a viewer may take away: the evaluated checkpoint (a zip when several were averaged), the
/// predictions (validation rows and the visible test images, never a held-back one) and the settings. Built only from
/// <see cref="RunResults"/>, which the caller loaded with the viewer's access checked.
/// </summary>
public static partial class RunDownloads
{
    public static RunDownload? Checkpoint(RunResults results)
    {
        var files = results.CheckpointFiles
            .Select(name => Path.GetFileName(name) == name ? Path.Combine(results.FolderPath, name) : null)
            .ToList();
        if (files.Count == 0 || files.Any(f => f is null || !File.Exists(f))) return null;
        if (files.Count == 1)
        {
            var file = files[0]!;
            return new RunDownload($"{Stem(results)}-{Path.GetFileName(file)}", "application/octet-stream", async (output, ct) =>
            {
                await using var input = File.OpenRead(file);
                await input.CopyToAsync(output, ct);
            });
        }
        return new RunDownload($"{Stem(results)}-checkpoints.zip", "application/zip", async (output, ct) =>
        {
            await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
            foreach (var file in files)
                await zip.CreateEntryFromFileAsync(file!, Path.GetFileName(file!), CompressionLevel.NoCompression, ct);
            await using var readme = await zip.CreateEntry("README.txt").OpenAsync(ct);
            await readme.WriteAsync(Encoding.UTF8.GetBytes(
                $"The predictions of these {files.Count} checkpoints were averaged: {results.Record.Test?.CheckpointChoice}.\n"), ct);
        });
    }

    public static RunDownload Predictions(RunResults results) =>
        new($"{Stem(results)}-predictions.csv", "text/csv", async (output, ct) =>
        {
            var text = PredictionsCsv(results);
            await output.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        });

    /// <summary>predictions.csv as the run wrote it, less the test images a leaderboard holds back.</summary>
    public static string PredictionsCsv(RunResults results)
    {
        var visible = results.Test.Select(t => t.RelativePath).ToHashSet(StringComparer.Ordinal);
        var file = new RunFolder(results.FolderPath).Predictions;
        var csv = new StringBuilder();
        var header = true;
        foreach (var line in File.ReadLines(file))
        {
            if (header) { csv.Append(line).Append('\n'); header = false; continue; }
            var fields = line.Split(',');
            if (fields.Length < 2) continue;
            // Only rows we can vouch for: validation images no leaderboard holds back (a copy of a held-back test image
            // trained before the board existed), and the test images the viewer sees on the page.
            if ((fields[1] == "val" && results.Hidden is { } hidden && !hidden.Contains(fields[0])) || (fields[1] == "test" && visible.Contains(fields[0])))
                csv.Append(line).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>
    /// figures.csv: each test figure at the run's own threshold with its 95% interval (the results tab's, same seed), then
    /// the calibration of the probabilities. From the visible test images only, like every other figure.
    /// </summary>
    public static RunDownload Figures(RunResults results) =>
        new($"{Stem(results)}-figures.csv", "text/csv", async (output, ct) =>
            await output.WriteAsync(Encoding.UTF8.GetBytes(FiguresCsv(results)), ct));

    public static string FiguresCsv(RunResults results)
    {
        static string N(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        var csv = new StringBuilder("figure,estimate,lower_95,upper_95\n");
        var e = results.EvaluateAt(results.Threshold);
        var intervals = results.Intervals;
        foreach (var (name, value, interval) in new (string, double, Core.Metrics.MetricInterval?)[]
                 {
                     ("accuracy", e.Accuracy, intervals?.Accuracy), ("auc", e.Auc, intervals?.Auc), ("sensitivity", e.Sensitivity, intervals?.Sensitivity),
                     ("specificity", e.Specificity, intervals?.Specificity), ("precision", e.Precision, intervals?.Precision), ("f1", e.F1, intervals?.F1),
                 })
            csv.Append(name).Append(',').Append(N(value)).Append(',').Append(interval is { } i ? N(i.Lower) : "").Append(',').Append(interval is { } j ? N(j.Upper) : "").Append('\n');
        var calibration = results.TestCalibration;
        csv.Append("expected_calibration_error,").Append(N(calibration.ExpectedCalibrationError)).Append(",,\n");
        csv.Append("brier_score,").Append(N(calibration.BrierScore)).Append(",,\n");
        csv.Append("threshold,").Append(N(results.Threshold)).Append(",,\n");
        csv.Append("test_images,").Append(results.Test.Count).Append(",,\n");
        if (intervals is not null)
            csv.Append("bootstrap_resamples,").Append(intervals.Resamples).Append(",,\n").Append("bootstrap_seed,").Append(intervals.Seed).Append(",,\n");
        return csv.ToString();
    }

    public static RunDownload Settings(RunResults results) =>
        new($"{Stem(results)}-settings.json", "application/json", async (output, ct) =>
            await JsonSerializer.SerializeAsync(output, results.Record.Config, RunFolder.Json, ct));

    /// <summary>"run-12-tiny-baseline": the run's id and a file-safe form of its name.</summary>
    public static string Stem(RunResults results)
    {
        var name = Unsafe().Replace(results.Run.Name.ToLowerInvariant(), "-").Trim('-');
        if (name.Length > 40) name = name[..40].TrimEnd('-');
        return name.Length == 0 ? $"run-{results.Run.Id}" : $"run-{results.Run.Id}-{name}";
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Unsafe();
}
