using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Results;

/// <summary>
/// What a finished run produced, as a viewer may see it: its record (settings, history, how the checkpoint and threshold
/// were chosen) and its test predictions without the images any leaderboard holds back. Every figure on the run
/// detail, compare and download pages is computed from <see cref="Test"/>, so a held-back label cannot leak through one.
/// </summary>
public sealed class RunResults
{
    public required TrainingRun Run { get; init; }
    public required string OwnerName { get; init; }
    public required RunRecord Record { get; init; }
    /// <summary>The visible test images, in path order.</summary>
    public required IReadOnlyList<ResultImage> Test { get; init; }
    /// <summary>The validation images (no held-back content), on which the checkpoint and threshold were chosen.</summary>
    public IReadOnlyList<ResultImage> Validation { get; init; } = [];

    /// <summary>
    /// The figures on the validation images at the run's threshold, to stand beside the test figures; null without
    /// validation images of both labels.
    /// </summary>
    public BinaryEvaluation? ValidationFigures => Validation.Select(v => v.Label).Distinct().Count() == 2
        ? _validation ??= BinaryEvaluation.Compute(Validation.Select(v => (int)v.Label).ToArray(), Validation.Select(v => v.Probability).ToArray(), Threshold)
        : null;
    BinaryEvaluation? _validation;

    int[] ValidationLabels => Validation.Select(v => (int)v.Label).ToArray();
    float[] ValidationProbabilities => Validation.Select(v => v.Probability).ToArray();

    /// <summary>How far the test probabilities can be taken at face value (reliability diagram, ECE, Brier).</summary>
    public Calibration TestCalibration => _testCalibration ??= Calibration.From(Labels, Probabilities);
    Calibration? _testCalibration;

    /// <summary>The same on the validation images; null without any.</summary>
    public Calibration? ValidationCalibration => Validation.Count == 0 ? null : _validationCalibration ??= Calibration.From(ValidationLabels, ValidationProbabilities);
    Calibration? _validationCalibration;

    /// <summary>
    /// A temperature fitted on the validation images (never on test); null with fewer than 10 of them or one label only.
    /// </summary>
    public TemperatureScaling? Temperature => Validation.Count >= 10 && Validation.Select(v => v.Label).Distinct().Count() == 2
        ? _temperature ??= TemperatureScaling.Fit(ValidationLabels, ValidationProbabilities)
        : null;
    TemperatureScaling? _temperature;

    /// <summary>The test calibration after the validation-fitted temperature; null without one.</summary>
    public Calibration? ScaledTestCalibration => Temperature is { } t ? _scaled ??= Calibration.From(Labels, t.Apply(Probabilities)) : null;
    Calibration? _scaled;

    /// <summary>The run's own threshold, chosen on its validation split.</summary>
    public required double Threshold { get; init; }
    /// <summary>How many test images were left out because a leaderboard holds them back (pages say only whether any were).</summary>
    public required int HeldOut { get; init; }
    /// <summary>
    /// Paths of the run's data set whose content a leaderboard holds back (in any split: a copy in train is held back
    /// too); null when the data set can no longer be read, and nothing beyond the run's own figures may be shown.
    /// </summary>
    public IReadOnlySet<string>? Hidden { get; init; } = new HashSet<string>();
    public required string FolderPath { get; init; }

    public int[] Labels => _labels ??= Test.Select(t => (int)t.Label).ToArray();
    public float[] Probabilities => _probabilities ??= Test.Select(t => t.Probability).ToArray();
    int[]? _labels;
    float[]? _probabilities;

    public BinaryEvaluation EvaluateAt(double threshold) => BinaryEvaluation.Compute(Labels, Probabilities, threshold);
    public RocCurve Roc => _roc ??= RocCurve.From(Labels, Probabilities);
    public PrecisionRecallCurve PrecisionRecall => _pr ??= PrecisionRecallCurve.From(Labels, Probabilities);
    RocCurve? _roc;
    PrecisionRecallCurve? _pr;

    /// <summary>
    /// 95% intervals of the figures at the run's own threshold (<see cref="BootstrapIntervals"/>, seeded: the same run
    /// shows the same intervals to everyone); null when the visible test images hold one label only. Only at the run's
    /// threshold: one picked by looking at the test images has no interval worth quoting. Computed once per run folder
    /// and set of visible images in this process (every page load builds a new <see cref="RunResults"/>).
    /// </summary>
    public BootstrapIntervals? Intervals
    {
        get
        {
            if (Shared.Count > 10_000) Shared.Clear(); // a bound, not a policy: a portal holds far fewer finished runs
            var key = (FolderPath, Test.Count, Test.Count == 0 ? "" : Test[0].RelativePath + Test[^1].RelativePath, Threshold);
            return Shared.GetOrAdd(key, _ => Labels.Distinct().Count() == 2 ? BootstrapIntervals.Compute(Labels, Probabilities, Threshold) : null);
        }
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, int, string, double), BootstrapIntervals?> Shared = new();

    /// <summary>Whether the image is predicted right at this threshold.</summary>
    public static bool Correct(ResultImage image, double threshold) => (image.Probability >= threshold ? Label.Pneumonia : Label.Normal) == image.Label;

    /// <summary>Every figure that depends on the threshold, on the visible test images: what the results slider recomputes.</summary>
    public ResultsAtThreshold At(double threshold)
    {
        var evaluation = EvaluateAt(threshold);
        // Most confidently wrong first: a healthy child called PNEUMONIA at 0.99 is a worse mistake than one at 0.51.
        var wrong = Test.Where(t => !Correct(t, threshold))
            .OrderByDescending(ResultsAtThreshold.WrongConfidence).ThenBy(t => t.RelativePath, StringComparer.Ordinal).ToList();
        var right = Test.Where(t => Correct(t, threshold))
            .OrderBy(t => Math.Abs(t.Probability - threshold)).ThenBy(t => t.RelativePath, StringComparer.Ordinal).ToList();
        return new ResultsAtThreshold(threshold, evaluation, ClassificationReport.From(evaluation.ConfusionMatrix), wrong) { Correct = right };
    }

    /// <summary>The evaluated checkpoint files (several when their predictions were averaged), as named in run.json.</summary>
    public IReadOnlyList<string> CheckpointFiles =>
        (Record.Test?.Checkpoint ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
