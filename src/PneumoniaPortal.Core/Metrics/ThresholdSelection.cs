namespace PneumoniaPortal.Core.Metrics;

/// <summary>How a decision threshold is picked from validation predictions.</summary>
public enum ThresholdRule
{
    /// <summary>Maximise Youden's J = sensitivity + specificity - 1.</summary>
    Youden,

    /// <summary>Maximise the F1 score of PNEUMONIA.</summary>
    MaxF1,

    /// <summary>
    /// The operating point at a target sensitivity (a screening tool must not miss many): the highest threshold whose
    /// sensitivity still reaches the target, which is also the most specific one.
    /// </summary>
    MinSensitivity,

    /// <summary>A threshold set by hand.</summary>
    Fixed,
}

/// <summary>A chosen threshold, the rule that chose it, and one sentence telling people how.</summary>
public sealed record ThresholdChoice(double Threshold, ThresholdRule Rule, string How);

public static class ThresholdSelection
{
    public const double DefaultThreshold = 0.5;

    // Two rule values this close are a tie; floating-point sums of the same fractions can differ in the last bit.
    private const double TieTolerance = 1e-12;

    /// <summary>
    /// Chooses a decision threshold (predict PNEUMONIA when probability &gt;= threshold) on VALIDATION data only; the caller
    /// guarantees that, since tuning on the test split would flatter the model. Candidates are the distinct scores plus
    /// 0.5 itself; ties go to the threshold closest to 0.5, then to the lower one (MinSensitivity: to the higher one). Empty input or a single class gives
    /// 0.5 (Fixed gives fixedThreshold) with the reason in How.
    /// </summary>
    public static ThresholdChoice Choose(
        IReadOnlyList<int> labels,
        IReadOnlyList<float> probabilities,
        ThresholdRule rule,
        double targetSensitivity = 0.95,
        double fixedThreshold = 0.5,
        string splitName = "validation")
    {
        PredictionInput.Validate(labels, probabilities);
        if (!Enum.IsDefined(rule))
            throw new ArgumentException($"Unknown threshold rule {(int)rule}.", nameof(rule));
        if (double.IsNaN(targetSensitivity) || targetSensitivity < 0 || targetSensitivity > 1)
            throw new ArgumentException(
                $"Target sensitivity must be between 0 and 1; you entered {Format.Number(targetSensitivity)}.",
                nameof(targetSensitivity));
        if (double.IsNaN(fixedThreshold) || fixedThreshold < 0 || fixedThreshold > 1)
            throw new ArgumentException(
                $"A fixed threshold must be between 0 and 1; you entered {Format.Number(fixedThreshold)}.",
                nameof(fixedThreshold));
        if (string.IsNullOrWhiteSpace(splitName)) splitName = "validation";

        var ladder = OperatingPoints.From(labels, probabilities);
        int positives = ladder.Positives, negatives = ladder.Negatives;
        string onSplit = $"on the {splitName} split (n={labels.Count})";

        if (!ladder.BothClassesPresent)
        {
            string why = labels.Count == 0
                ? $"the {splitName} split is empty"
                : $"the {splitName} split (n={labels.Count}) has only {(positives == 0 ? "NORMAL" : "PNEUMONIA")} images";
            return rule == ThresholdRule.Fixed
                ? new ThresholdChoice(fixedThreshold, rule,
                    $"Fixed threshold {Format.Number(fixedThreshold)} set by hand; it could not be checked because {why}.")
                : new ThresholdChoice(DefaultThreshold, rule,
                    $"No threshold could be tuned because {why}; using {Format.Number(DefaultThreshold)}.");
        }

        if (rule == ThresholdRule.Fixed)
        {
            var atFixed = ConfusionMatrix.From(labels, probabilities, fixedThreshold);
            return new ThresholdChoice(fixedThreshold, rule,
                $"Fixed threshold {Format.Number(fixedThreshold)} set by hand; {onSplit} it gives " +
                $"sensitivity {Two(atFixed.Sensitivity)}, specificity {Two(atFixed.Specificity)}.");
        }

        double bestThreshold = double.NaN, bestValue = double.NegativeInfinity;
        int bestTp = 0, bestFp = 0;

        void Consider(double threshold, int tp, int fp)
        {
            double sensitivity = (double)tp / positives;
            double specificity = (double)(negatives - fp) / negatives;
            double value = rule switch
            {
                ThresholdRule.Youden => sensitivity + specificity - 1,
                ThresholdRule.MaxF1 => 2.0 * tp / (2.0 * tp + fp + (positives - tp)),
                _ => sensitivity >= targetSensitivity - TieTolerance ? specificity : double.NegativeInfinity,
            };
            if (double.IsNegativeInfinity(value)) return;

            bool tie = Math.Abs(value - bestValue) <= TieTolerance;
            bool better = double.IsNaN(bestThreshold)
                || value > bestValue + TieTolerance
                // At a target sensitivity, equal specificity goes to the higher threshold: validation often separates
                // perfectly over a wide range, and the top of it is the operating point that only just meets the target.
                || (tie && rule == ThresholdRule.MinSensitivity && threshold > bestThreshold)
                || (tie && rule != ThresholdRule.MinSensitivity && IsCloserToDefault(threshold, bestThreshold));
            if (!better) return;
            bestThreshold = threshold;
            bestValue = value;
            bestTp = tp;
            bestFp = fp;
        }

        int tpAtDefault = 0, fpAtDefault = 0;
        for (int i = 0; i < ladder.Count; i++)
        {
            Consider(ladder.Thresholds[i], ladder.TruePositives[i], ladder.FalsePositives[i]);
            if (ladder.Thresholds[i] >= DefaultThreshold)
            {
                tpAtDefault = ladder.TruePositives[i];
                fpAtDefault = ladder.FalsePositives[i];
            }
        }
        // 0.5 is a candidate too, so a default that is already optimal is kept rather than replaced by an odd score.
        Consider(DefaultThreshold, tpAtDefault, fpAtDefault);

        var best = new ConfusionMatrix(negatives - bestFp, bestFp, positives - bestTp, bestTp);
        string at = $" at threshold {Format.Number(bestThreshold, "0.####")}";
        string how = rule switch
        {
            ThresholdRule.Youden =>
                $"Youden's J maximised {onSplit}: sensitivity {Two(best.Sensitivity)}, specificity {Two(best.Specificity)}{at}.",
            ThresholdRule.MaxF1 =>
                $"F1 of PNEUMONIA maximised {onSplit}: F1 {Two(best.F1)}, precision {Two(best.Precision)}, " +
                $"sensitivity {Two(best.Sensitivity)}{at}.",
            _ =>
                $"Highest threshold with sensitivity at least {Two(targetSensitivity)} {onSplit}: " +
                $"sensitivity {Two(best.Sensitivity)}, specificity {Two(best.Specificity)}{at}.",
        };
        return new ThresholdChoice(bestThreshold, rule, how);
    }

    private static bool IsCloserToDefault(double candidate, double current)
    {
        double candidateDistance = Math.Abs(candidate - DefaultThreshold);
        double currentDistance = Math.Abs(current - DefaultThreshold);
        // At equal distance the lower threshold wins: it misses fewer sick children.
        return candidateDistance < currentDistance || (candidateDistance == currentDistance && candidate < current);
    }

    private static string Two(double value) => Format.Number(value, "0.00");
}
