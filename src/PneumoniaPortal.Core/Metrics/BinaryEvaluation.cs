namespace PneumoniaPortal.Core.Metrics;

/// <summary>The figures every report shows for one model on one split, at one threshold.</summary>
public sealed record BinaryEvaluation(
    double Accuracy,
    double Auc,
    double Sensitivity,
    double Specificity,
    double Precision,
    double F1,
    double LogLoss,
    double Threshold,
    ConfusionMatrix ConfusionMatrix)
{
    /// <summary>False when the labels hold only one class, so Auc (reported as 0) means nothing.</summary>
    public bool AucDefined { get; init; } = true;

    public static BinaryEvaluation Compute(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities, double threshold = 0.5)
    {
        var matrix = ConfusionMatrix.From(labels, probabilities, threshold);
        var roc = RocCurve.From(labels, probabilities);
        // Spelled out in full because inside this record "LogLoss" is the property, not the class.
        double logLoss = global::PneumoniaPortal.Core.Metrics.LogLoss.Compute(labels, probabilities);

        return new BinaryEvaluation(
            matrix.Accuracy,
            roc.Auc,
            matrix.Sensitivity,
            matrix.Specificity,
            matrix.Precision,
            matrix.F1,
            logLoss,
            threshold,
            matrix)
        {
            AucDefined = roc.Defined,
        };
    }
}
