namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// Counts of one model's decisions at one threshold. Rows are the true class (NORMAL, PNEUMONIA), columns the predicted
/// class (NORMAL, PNEUMONIA); PNEUMONIA is the positive class.
/// </summary>
public sealed record ConfusionMatrix(int TrueNegative, int FalsePositive, int FalseNegative, int TruePositive)
{
    public int TrueNegative { get; init; } = NotNegative(TrueNegative, nameof(TrueNegative));
    public int FalsePositive { get; init; } = NotNegative(FalsePositive, nameof(FalsePositive));
    public int FalseNegative { get; init; } = NotNegative(FalseNegative, nameof(FalseNegative));
    public int TruePositive { get; init; } = NotNegative(TruePositive, nameof(TruePositive));

    public int Total => TrueNegative + FalsePositive + FalseNegative + TruePositive;

    /// <summary>Images whose true class is PNEUMONIA.</summary>
    public int Positives => TruePositive + FalseNegative;

    /// <summary>Images whose true class is NORMAL.</summary>
    public int Negatives => TrueNegative + FalsePositive;

    public double Accuracy => Ratio(TrueNegative + TruePositive, Total);

    /// <summary>Recall of PNEUMONIA: the share of sick children the model catches, TP / (TP + FN).</summary>
    public double Sensitivity => Ratio(TruePositive, TruePositive + FalseNegative);

    /// <summary>Recall of NORMAL: the share of healthy children the model clears, TN / (TN + FP).</summary>
    public double Specificity => Ratio(TrueNegative, TrueNegative + FalsePositive);

    /// <summary>Of the images called PNEUMONIA, the share that are: TP / (TP + FP).</summary>
    public double Precision => Ratio(TruePositive, TruePositive + FalsePositive);

    /// <summary>Of the images called NORMAL, the share that are: TN / (TN + FN).</summary>
    public double NegativePredictiveValue => Ratio(TrueNegative, TrueNegative + FalseNegative);

    /// <summary>Harmonic mean of precision and sensitivity, written as 2TP / (2TP + FP + FN) so it needs no special case.</summary>
    public double F1 => Ratio(2.0 * TruePositive, 2.0 * TruePositive + FalsePositive + FalseNegative);

    public double BalancedAccuracy => (Sensitivity + Specificity) / 2;

    /// <summary>[[TN, FP], [FN, TP]], the layout sklearn's confusion_matrix prints.</summary>
    public int[][] ToArray() => [[TrueNegative, FalsePositive], [FalseNegative, TruePositive]];

    /// <summary>Counts decisions at a threshold: an image is predicted PNEUMONIA when its probability is &gt;= threshold.</summary>
    public static ConfusionMatrix From(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities, double threshold)
    {
        PredictionInput.Validate(labels, probabilities);
        PredictionInput.ValidateThreshold(threshold, nameof(threshold));

        int tn = 0, fp = 0, fn = 0, tp = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            bool predictedPneumonia = probabilities[i] >= threshold;
            if (labels[i] == 1)
            {
                if (predictedPneumonia) tp++;
                else fn++;
            }
            else
            {
                if (predictedPneumonia) fp++;
                else tn++;
            }
        }

        return new ConfusionMatrix(tn, fp, fn, tp);
    }

    // A ratio with nothing to divide by (e.g. sensitivity with no PNEUMONIA images) is 0, never NaN, so it survives JSON.
    internal static double Ratio(double part, double whole) => whole == 0 ? 0 : part / whole;

    private static int NotNegative(int count, string name) =>
        count >= 0 ? count : throw new ArgumentException($"{name} is a count of images and cannot be negative; it is {count}.", name);
}
