using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training.Data;
using PneumoniaPortal.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PneumoniaPortal.Training;

/// <summary>Probabilities of the validation and test images from the checkpoint(s) chosen on validation.</summary>
public sealed record SplitPredictions(IReadOnlyList<ImageRecord> Images, float[] Probabilities)
{
    public int[] Labels => Images.Select(i => (int)i.Label).ToArray();
}

/// <summary>
/// Honest evaluation (docs/architecture.md): the checkpoint(s) and the decision threshold are chosen on the validation split;
/// the test split is only scored.
/// </summary>
public sealed class Evaluator(RunFolder folder, Device device)
{
    public TestReport EvaluateAndSave(RunRecord record, TrainerState state, ImageCache cache, RunSplits splits, CancellationToken ct = default)
    {
        var (val, test, checkpoints, how) = Predict(record, state, cache, splits, ct);
        var report = Report(record.Config.Training, val, test, "test", checkpoints, how);
        PredictionsCsv.Write(folder.Predictions, report.Threshold.Threshold, ("val", val), ("test", test));
        return report;
    }

    public (SplitPredictions Validation, SplitPredictions Test, string Checkpoints, string How) Predict(
        RunRecord record, TrainerState state, ImageCache cache, RunSplits splits, CancellationToken ct = default)
    {
        var epochs = folder.KeptBestEpochs(state);
        var files = folder.EvaluatedCheckpoints(state);
        var metric = record.Config.Training.SelectBy == SelectionMetric.ValAuc ? "validation AUC" : "validation loss";
        var how = epochs.Count switch
        {
            0 => "the last epoch's weights (no per-epoch checkpoint was kept)",
            1 => $"epoch {epochs[0]}, the best {metric} of {state.CompletedEpochs} epochs",
            _ => $"the average of epochs {string.Join(", ", epochs)}, the {epochs.Count} best by {metric} of {state.CompletedEpochs} epochs",
        };
        using var valTensors = new SplitTensors(cache, splits.Validation, device);
        using var testTensors = new SplitTensors(cache, splits.Test, device);
        var tta = record.Config.Training.TestTimeAugmentation;
        var valSum = new float[valTensors.Count];
        var testSum = new float[testTensors.Count];
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            using var net = LoadNet(record.Config.Architecture, file, device);
            Add(valSum, Predictor.Probabilities(net, valTensors, state.Normalization, tta));
            Add(testSum, Predictor.Probabilities(net, testTensors, state.Normalization, tta));
        }
        return (new SplitPredictions(valTensors.Images, valSum.Select(v => v / files.Count).ToArray()),
                new SplitPredictions(testTensors.Images, testSum.Select(v => v / files.Count).ToArray()),
                string.Join(", ", files.Select(Path.GetFileName)), how);
    }

    public static TestReport Report(TrainingSettings t, SplitPredictions val, SplitPredictions scored, string splitName, string checkpoints, string how)
    {
        var threshold = ChooseThreshold(t.Threshold, val);
        var labels = scored.Labels;
        var evaluation = BinaryEvaluation.Compute(labels, scored.Probabilities, threshold.Threshold);
        var roc = RocCurve.From(labels, scored.Probabilities);
        var pr = PrecisionRecallCurve.From(labels, scored.Probabilities);
        return new TestReport(splitName, evaluation, ClassificationReport.From(evaluation.ConfusionMatrix), roc.Points, pr.Points,
            pr.Defined ? pr.AveragePrecision : 0, threshold, checkpoints, how, t.TestTimeAugmentation);
    }

    static ThresholdChoice ChooseThreshold(string setting, SplitPredictions val)
    {
        ThresholdRuleText.TryParse(setting, out var parsed);
        var (rule, target, fixedValue) = parsed.Rule switch
        {
            "maxf1" => (ThresholdRule.MaxF1, 0.95, 0.5),
            "sensitivity" => (ThresholdRule.MinSensitivity, parsed.Value, 0.5),
            "fixed" => (ThresholdRule.Fixed, 0.95, parsed.Value),
            _ => (ThresholdRule.Youden, 0.95, 0.5),
        };
        return ThresholdSelection.Choose(val.Labels, val.Probabilities, rule, target, fixedValue, "validation");
    }

    public static PneumoniaNet LoadNet(ArchitectureSpec spec, string checkpoint, Device device)
    {
        var net = new PneumoniaNet(spec);
        net.load(checkpoint);
        net.to(device);
        net.eval();
        return net;
    }

    static void Add(float[] sum, float[] values)
    {
        for (var i = 0; i < sum.Length; i++) sum[i] += values[i];
    }
}
