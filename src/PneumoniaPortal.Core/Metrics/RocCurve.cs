namespace PneumoniaPortal.Core.Metrics;

/// <summary>One operating point: predicting PNEUMONIA when the probability is &gt;= Threshold gives these rates.</summary>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

/// <summary>
/// The ROC curve as sklearn's roc_curve(drop_intermediate=False) draws it: a first point (0, 0) at threshold +infinity,
/// then one point per distinct score, highest first. Auc is the trapezoid area under it, which equals the Mann-Whitney
/// statistic with tied scores counted half.
/// </summary>
public sealed record RocCurve(IReadOnlyList<RocPoint> Points, double Auc)
{
    /// <summary>False when the labels hold only one class: there is no ranking to judge, so Auc is 0 rather than NaN.</summary>
    public bool Defined { get; init; } = true;

    public static RocCurve From(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities)
    {
        PredictionInput.Validate(labels, probabilities);
        var ladder = OperatingPoints.From(labels, probabilities);
        int positives = ladder.Positives, negatives = ladder.Negatives;

        var points = new List<RocPoint>(ladder.Count + 1) { new(0, 0, double.PositiveInfinity) };
        // Twice the area in units of (1 negative x 1 positive), kept as an integer so no rounding builds up over many points.
        long doubleArea = 0;
        int previousTp = 0, previousFp = 0;
        for (int i = 0; i < ladder.Count; i++)
        {
            int tp = ladder.TruePositives[i], fp = ladder.FalsePositives[i];
            points.Add(new RocPoint(
                ConfusionMatrix.Ratio(fp, negatives),
                ConfusionMatrix.Ratio(tp, positives),
                ladder.Thresholds[i]));
            doubleArea += (long)(fp - previousFp) * (tp + previousTp);
            previousTp = tp;
            previousFp = fp;
        }

        bool defined = ladder.BothClassesPresent;
        double auc = defined ? doubleArea / (2.0 * positives * negatives) : 0;
        return new RocCurve(points, auc) { Defined = defined };
    }
}
