namespace PneumoniaPortal.Core.Metrics;

/// <summary>One operating point: predicting PNEUMONIA when the probability is &gt;= Threshold gives this recall and precision.</summary>
public sealed record PrPoint(double Recall, double Precision, double Threshold);

/// <summary>
/// The precision-recall curve: a first point (recall 0, precision 1) at threshold +infinity, then one point per distinct
/// score, highest first (sklearn lists the same points in the opposite order). AveragePrecision follows sklearn's
/// average_precision_score: the sum of (recall step) x (precision), step-wise, with no interpolation.
/// </summary>
public sealed record PrecisionRecallCurve(IReadOnlyList<PrPoint> Points, double AveragePrecision)
{
    /// <summary>False when the labels hold only one class; AveragePrecision is then 0 rather than NaN.</summary>
    public bool Defined { get; init; } = true;

    public static PrecisionRecallCurve From(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities)
    {
        PredictionInput.Validate(labels, probabilities);
        var ladder = OperatingPoints.From(labels, probabilities);
        int positives = ladder.Positives;

        var points = new List<PrPoint>(ladder.Count + 1) { new(0, 1, double.PositiveInfinity) };
        double precisionTimesRecallSteps = 0;
        int previousTp = 0;
        for (int i = 0; i < ladder.Count; i++)
        {
            int tp = ladder.TruePositives[i], fp = ladder.FalsePositives[i];
            double precision = ConfusionMatrix.Ratio(tp, tp + fp);
            points.Add(new PrPoint(ConfusionMatrix.Ratio(tp, positives), precision, ladder.Thresholds[i]));
            precisionTimesRecallSteps += (tp - previousTp) * precision;
            previousTp = tp;
        }

        bool defined = ladder.BothClassesPresent;
        double averagePrecision = defined ? precisionTimesRecallSteps / positives : 0;
        return new PrecisionRecallCurve(points, averagePrecision) { Defined = defined };
    }
}
