using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Training.Data;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Training.Native;

namespace PneumoniaPortal.Cli;

/// <summary>The headless commands; the same code paths as the portal (docs/architecture.md).</summary>
public static class Commands
{
    public const string Usage = """
        pneumonia — train and evaluate chest X-ray classifiers from the command line

          dataset stats --data DIR [--json]
          dataset resplit --data DIR --train 0.7 --val 0.15 --test 0.15 --seed N --out DIR2
          train --data DIR --preset NAME [--set key=value ...] --out RUNDIR
          evaluate --run RUNDIR --data DIR --split test [--json] [--threshold youden|maxf1|sensitivity:0.95|0.5] [--tta on|off]
          compare --run RUNDIR_A --run RUNDIR_B --data DIR [--json]
          predict --run RUNDIR IMAGE... [--json]
          activations --run RUNDIR IMAGE --out DIR [--sanity]
          bench --data DIR [--json] [--presets a,b] [--sizes 128,224] [--images N] [--out FILE]
          bench --data DIR (--activations PRESET [--sizes 224] [--images N] | --run RUNDIR) [--repeat N] [--json] [--out FILE]
          bench --data DIR --estimate [--presets a,b] [--sizes 128] [--images N] [--epochs 2] [--json] [--out FILE]

        DIR is a chest_xray folder or .zip in the Kaggle layout ({train,test,val}/{NORMAL,PNEUMONIA}).
        Presets: cpu-default, seed-cnn, chollet-small, resnet18.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            output.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return args[0] switch
            {
                "dataset" when args.Length > 1 && args[1] == "stats" => DatasetStats(new CliArguments(args[2..], "json"), output),
                "dataset" when args.Length > 1 && args[1] == "resplit" => Resplit(new CliArguments(args[2..]), output),
                "dataset" => throw new CliException("Use `dataset stats --data DIR [--json]` or `dataset resplit --data DIR --train 0.7 --val 0.15 --test 0.15 --seed N --out DIR2`."),
                "train" => Train(new CliArguments(args[1..]), output, cancel.Token),
                "evaluate" => Evaluate(new CliArguments(args[1..], "json"), output),
                "compare" => Compare(new CliArguments(args[1..], "json"), output),
                "predict" => Predict(new CliArguments(args[1..], "json"), output),
                "activations" => Activations(new CliArguments(args[1..], "sanity"), output),
                "bench" => await Bench.RunAsync(new CliArguments(args[1..], "json", "estimate"), output, cancel.Token),
                _ => throw new CliException($"Unknown command '{args[0]}'."),
            };
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("Cancelled. The last finished epoch is kept; run the same command again to resume.");
            return 130;
        }
        catch (Exception e) when (e is DatasetLayoutException or InvalidSettingsException or InvalidDataException
                                      or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            throw new CliException(e.Message);
        }
    }

    static ImageCatalog OpenData(CliArguments a, TextWriter output)
    {
        var data = a.Required("data");
        var catalog = DatasetImporter.Open(data);
        foreach (var problem in catalog.Problems.Take(20))
            output.WriteLine(problem.RelativePath == "" ? $"note: {problem.Message}" : $"skipped {problem.RelativePath}: {problem.Message}");
        if (catalog.Problems.Count > 20) output.WriteLine($"... and {catalog.Problems.Count - 20} more files skipped");
        return catalog;
    }

    static int DatasetStats(CliArguments a, TextWriter output)
    {
        var json = a.Flag("json");
        using var catalog = OpenData(a, json ? TextWriter.Null : output);
        var stats = DatasetStatistics.From(catalog);
        output.WriteLine(json ? JsonSerializer.Serialize(stats, RunFolder.Json) : stats.ToText());
        return 0;
    }

    /// <summary>
    /// Splits a data set again (all images pooled; each label dealt in the fractions; a child's images on one side;
    /// seeded) into a folder that names its source and shares its files: the portal and these commands read it as a data set.
    /// </summary>
    static int Resplit(CliArguments a, TextWriter output)
    {
        double Fraction(string name) => double.TryParse(a.Required(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new CliException($"--{name} must be a number such as 0.15.");
        var settings = new ResplitSettings(Fraction("train"), Fraction("val"), Fraction("test"), a.Int("seed", 1));
        if (settings.Validate() is { Count: > 0 } problems) throw new CliException(string.Join(" ", problems));
        var outDir = a.Required("out");
        using var source = OpenData(a, output);
        var result = DatasetResplitter.Resplit(source.Images, settings);
        var description = DerivedDataset.Write(outDir, source, result, settings);
        output.WriteLine($"{description.Name}: {result.Images.Count} images, written to {Path.GetFullPath(outDir)} (the files stay in {source.Source}).");
        output.WriteLine(result.ToText());
        return 0;
    }

    static int Train(CliArguments a, TextWriter output, CancellationToken ct)
    {
        var preset = a.Required("preset");
        if (!ArchitecturePresets.Names.Contains(preset))
            throw new CliException($"Unknown preset '{preset}'. Choose one of: {string.Join(", ", ArchitecturePresets.Names)}.");
        var (config, problems) = RunConfigOverrides.Apply(RunPresets.Get(preset), a.All("set"));
        problems = [.. problems, .. config.Validate()];
        if (problems.Count > 0) throw new CliException(string.Join(Environment.NewLine + "       ", problems));
        var outDir = a.Required("out");
        using var catalog = OpenData(a, output);
        var progress = new ConsoleProgress(output, !Console.IsOutputRedirected && output == Console.Out);
        var trainer = new Trainer(config, catalog, outDir, new TrainerOptions
        {
            Epochs = progress.Epochs,
            Batches = progress.Batches,
            Messages = progress.Messages,
            RunId = Path.GetFileName(Path.GetFullPath(outDir)),
        });
        TorchRuntime.EnsureReady();
        using (var net = new PneumoniaNet(config.Architecture))
            output.WriteLine(LayerSummarizer.Summarize(net).ToText());
        var record = trainer.Run(ct);
        output.WriteLine(record.StopReason);
        if (record.Test is { } test)
        {
            var e = test.Evaluation;
            output.WriteLine($"Test ({test.Evaluation.ConfusionMatrix.Total} images, {test.CheckpointChoice}; {test.Threshold.How}):");
            output.WriteLine($"  accuracy {e.Accuracy:0.000}  AUC {e.Auc:0.000}  sensitivity {e.Sensitivity:0.000}  specificity {e.Specificity:0.000}  precision {e.Precision:0.000}  F1 {e.F1:0.000}");
            output.WriteLine(test.Report.ToText());
        }
        output.WriteLine($"Run saved in {Path.GetFullPath(outDir)} (run.json, predictions.csv, checkpoints); training took {record.TrainingSeconds:0}s.");
        return 0;
    }

    static int Evaluate(CliArguments a, TextWriter output)
    {
        var split = a.Optional("split") ?? "test";
        if (split is not ("test" or "val"))
            throw new CliException($"--split must be test or val; you gave '{split}'.");
        var json = a.Flag("json");
        using var run = TrainedRun.Open(a.Required("run"));
        using var catalog = OpenData(a, json ? TextWriter.Null : output);
        var t = run.Record.Config.Training;
        if (a.Optional("threshold") is { } rule)
        {
            if (!ThresholdRuleText.TryParse(rule, out _)) throw new CliException(ThresholdRuleText.Help(rule));
            t = t with { Threshold = rule };
        }
        if (a.Optional("tta") is { } tta) t = t with { TestTimeAugmentation = tta is "on" or "true" or "yes" };
        var (report, scored) = Score(run, catalog, t, split, json ? TextWriter.Null : output);
        var e = report.Evaluation;
        var labels = scored.Labels;
        // Intervals need both labels among the scored images; a split of one label gets none (and says so).
        BootstrapIntervals? intervals = labels.Distinct().Count() == 2 ? BootstrapIntervals.Compute(labels, scored.Probabilities, report.Threshold.Threshold) : null;
        var calibration = Calibration.From(labels, scored.Probabilities);
        if (json)
        {
            double[] Pair(MetricInterval m) => [m.Lower, m.Upper];
            output.WriteLine(JsonSerializer.Serialize(new
            {
                split,
                images = e.ConfusionMatrix.Total,
                accuracy = e.Accuracy,
                auc = e.Auc,
                sensitivity = e.Sensitivity,
                specificity = e.Specificity,
                precision = e.Precision,
                f1 = e.F1,
                logLoss = e.LogLoss,
                confusionMatrix = e.ConfusionMatrix.ToArray(),
                threshold = report.Threshold.Threshold,
                thresholdChoice = report.Threshold.How,
                checkpoint = report.Checkpoint,
                checkpointChoice = report.CheckpointChoice,
                testTimeAugmentation = report.TestTimeAugmentation,
                averagePrecision = report.AveragePrecision,
                intervals = intervals is null ? null : new
                {
                    accuracy = Pair(intervals.Accuracy),
                    auc = Pair(intervals.Auc),
                    sensitivity = Pair(intervals.Sensitivity),
                    specificity = Pair(intervals.Specificity),
                    precision = Pair(intervals.Precision),
                    f1 = Pair(intervals.F1),
                    level = 0.95,
                    resamples = intervals.Resamples,
                    seed = intervals.Seed,
                },
                calibration = new
                {
                    ece = calibration.ExpectedCalibrationError,
                    brier = calibration.BrierScore,
                    bins = calibration.Bins.Select(b => new { lower = b.Lower, upper = b.Upper, meanPredicted = b.MeanPredicted, fractionPositive = b.FractionPositive, count = b.Count }),
                },
            }, RunFolder.Json));
            return 0;
        }
        output.WriteLine($"{split}: {e.ConfusionMatrix.Total} images, {report.CheckpointChoice}; {report.Threshold.How}");
        if (intervals is not null)
        {
            output.WriteLine($"accuracy {intervals.Accuracy}  AUC {intervals.Auc}  sensitivity {intervals.Sensitivity}");
            output.WriteLine($"specificity {intervals.Specificity}  precision {intervals.Precision}  F1 {intervals.F1}");
            output.WriteLine($"(95% intervals: stratified bootstrap, {intervals.Resamples:N0} resamples, seed {intervals.Seed})");
        }
        else
            output.WriteLine($"accuracy {e.Accuracy:0.000}  AUC {e.Auc:0.000}  sensitivity {e.Sensitivity:0.000}  specificity {e.Specificity:0.000}  precision {e.Precision:0.000}  F1 {e.F1:0.000} (one label only: no intervals)");
        var m = e.ConfusionMatrix;
        output.WriteLine($"confusion matrix (rows true, columns predicted):\n               NORMAL  PNEUMONIA\n  NORMAL     {m.TrueNegative,8} {m.FalsePositive,10}\n  PNEUMONIA  {m.FalseNegative,8} {m.TruePositive,10}");
        output.WriteLine($"calibration: expected calibration error {calibration.ExpectedCalibrationError:0.000}, Brier score {calibration.BrierScore:0.000}");
        output.WriteLine(report.Report.ToText());
        return 0;
    }

    /// <summary>A run's predictions on one split of a data set, with the checkpoint and threshold chosen on its validation split.</summary>
    static (TestReport Report, SplitPredictions Scored) Score(TrainedRun run, ImageCatalog catalog, TrainingSettings t, string split, TextWriter notes)
    {
        var record = run.Record with { Config = run.Record.Config with { Training = t } };
        if (catalog.Fingerprint != run.Record.DatasetFingerprint)
            notes.WriteLine("note: this data set differs from the one the run was trained on; the validation split is carved from it the same way.");
        var splits = run.Folder.ReadSplits(catalog.Images) ?? DatasetSplitter.Carve(catalog.Images, t.ValidationFraction, t.Seed, t.MaxTrainImages);
        var cache = ImageCache.Load(catalog, run.InputSize);
        var (val, test, checkpoints, how) = new Evaluator(run.Folder, run.Device).Predict(record, run.State, cache, splits);
        var scored = split == "test" ? test : val;
        return (Evaluator.Report(t, val, scored, split, checkpoints, how), scored);
    }

    /// <summary>
    /// Two runs scored on the same test images: the AUC difference with DeLong's interval and test, and McNemar's test
    /// on their decisions, each at its own threshold chosen on its own validation split; said in words.
    /// </summary>
    static int Compare(CliArguments a, TextWriter output)
    {
        var runs = a.All("run");
        if (runs.Count != 2) throw new CliException("Name two runs: compare --run RUNDIR_A --run RUNDIR_B --data DIR.");
        var json = a.Flag("json");
        using var catalog = OpenData(a, json ? TextWriter.Null : output);
        using var runA = TrainedRun.Open(runs[0]);
        using var runB = TrainedRun.Open(runs[1]);
        var (reportA, scoredA) = Score(runA, catalog, runA.Record.Config.Training, "test", json ? TextWriter.Null : output);
        var (reportB, scoredB) = Score(runB, catalog, runB.Record.Config.Training, "test", json ? TextWriter.Null : output);
        // The same images in the same order for both (the test split is the data set's, whatever each run trained on).
        var byPath = scoredB.Images.Select((image, i) => (image.RelativePath, i)).ToDictionary(x => x.RelativePath, x => x.i, StringComparer.Ordinal);
        var shared = scoredA.Images.Select((image, i) => (image, a: i, b: byPath.GetValueOrDefault(image.RelativePath, -1))).Where(x => x.b >= 0).ToList();
        if (shared.Count == 0) throw new CliException("The two runs share no test image on this data set.");
        var labels = shared.Select(x => (int)x.image.Label).ToArray();
        var probabilitiesA = shared.Select(x => scoredA.Probabilities[x.a]).ToArray();
        var probabilitiesB = shared.Select(x => scoredB.Probabilities[x.b]).ToArray();
        var comparison = PairedComparison.Compute(labels, probabilitiesA, reportA.Threshold.Threshold, probabilitiesB, reportB.Threshold.Threshold);
        string nameA = Path.GetFileName(Path.GetFullPath(runs[0]).TrimEnd('/')), nameB = Path.GetFileName(Path.GetFullPath(runs[1]).TrimEnd('/'));
        if (json)
        {
            var c = comparison.Auc;
            output.WriteLine(JsonSerializer.Serialize(new
            {
                images = labels.Length,
                a = new { run = nameA, auc = c.AucA, threshold = reportA.Threshold.Threshold },
                b = new { run = nameB, auc = c.AucB, threshold = reportB.Threshold.Threshold },
                auc = new { difference = c.Difference, ci = new[] { c.Lower, c.Upper }, p = c.Defined ? c.P : (double?)null, z = c.Z, standardError = c.StandardError, defined = c.Defined },
                mcnemar = new { onlyA = comparison.Decisions.OnlyA, onlyB = comparison.Decisions.OnlyB, bothRight = comparison.Decisions.BothRight, bothWrong = comparison.Decisions.BothWrong, p = comparison.Decisions.P },
                sentences = new[] { comparison.AucSentence(nameA, nameB), comparison.DecisionSentence(nameA, nameB) },
            }, RunFolder.Json));
            return 0;
        }
        output.WriteLine($"{labels.Length} test images scored by both runs. A = {nameA}, B = {nameB}.");
        output.WriteLine(comparison.AucSentence(nameA, nameB));
        output.WriteLine(comparison.DecisionSentence(nameA, nameB));
        return 0;
    }

    static int Predict(CliArguments a, TextWriter output)
    {
        if (a.Positional.Count == 0) throw new CliException("Name at least one image: predict --run RUNDIR IMAGE...");
        using var run = TrainedRun.Open(a.Required("run"));
        var rows = new List<object>();
        var failed = 0;
        foreach (var path in a.Positional)
        {
            try
            {
                var watch = Stopwatch.StartNew();
                var p = run.Predict(run.Decode(File.ReadAllBytes(path)));
                var label = p >= run.Threshold ? "PNEUMONIA" : "NORMAL";
                rows.Add(new { image = path, probability = p, label, threshold = run.Threshold, milliseconds = watch.Elapsed.TotalMilliseconds });
                if (!a.Flag("json")) output.WriteLine($"{path}: {label} (P(pneumonia) = {p:0.000}, threshold {run.Threshold:0.000})");
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                failed++;
                var error = $"{Path.GetFileName(path)}: {e.Message}";
                rows.Add(new { image = path, error });
                if (!a.Flag("json")) output.WriteLine(error);
            }
        }
        if (a.Flag("json")) output.WriteLine(JsonSerializer.Serialize(rows, RunFolder.Json));
        return failed == 0 ? 0 : 1;
    }

    static int Activations(CliArguments a, TextWriter output)
    {
        if (a.Positional.Count != 1) throw new CliException("Name exactly one image: activations --run RUNDIR IMAGE --out DIR");
        var outDir = a.Required("out");
        using var run = TrainedRun.Open(a.Required("run"));
        var gray = run.Decode(File.ReadAllBytes(a.Positional[0]));
        Directory.CreateDirectory(outDir);
        var mosaics = ActivationExplorer.Mosaics(run, gray);
        for (var i = 0; i < mosaics.Count; i++)
        {
            var m = mosaics[i];
            var file = Path.Combine(outDir, $"{i + 1:D2}-{m.Layer}.png");
            File.WriteAllBytes(file, m.Png);
            output.WriteLine($"{file}: {m.Layer}, {m.ShownChannels} of {m.Channels} maps at {m.MapSize}x{m.MapSize}");
        }
        var cam = ActivationExplorer.GradCam(run, gray);
        var camFile = Path.Combine(outDir, "gradcam.png");
        File.WriteAllBytes(camFile, cam.Png);
        output.WriteLine($"{camFile}: Grad-CAM of the last conv block over the image (P(pneumonia) = {run.Predict(gray).ToString("0.000", CultureInfo.InvariantCulture)})");
        if (a.Flag("sanity"))
        {
            // The portal's check: the same image's Grad-CAM from the network with its weights drawn again at random (seed 1).
            using var randomised = ActivationExplorer.Randomised(run, seed: 1);
            var random = ActivationExplorer.GradCam(run, gray, randomised);
            var randomFile = Path.Combine(outDir, "gradcam-random.png");
            File.WriteAllBytes(randomFile, random.Png);
            var similarity = MapSimilarity.Of(cam.Heat, random.Heat);
            output.WriteLine($"{randomFile}: Grad-CAM of the same network with random weights (seed 1)");
            output.WriteLine($"spearman {(similarity.Defined ? similarity.Spearman.ToString("0.000", CultureInfo.InvariantCulture) : "undefined")}: {similarity.Sentence()}");
        }
        return 0;
    }
}
