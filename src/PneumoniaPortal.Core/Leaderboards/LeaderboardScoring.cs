using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Leaderboards;

/// <summary>What a leaderboard ranks by; higher is better for every one.</summary>
public enum LeaderboardMetric { Auc, Accuracy, F1, SensitivityAtSpecificity }

/// <summary>Scores one run's predictions on a leaderboard half. Pure: the labels go in, only the score comes out.</summary>
public static class LeaderboardScoring
{
    public static string Describe(LeaderboardMetric metric, double targetSpecificity) => metric switch
    {
        LeaderboardMetric.Auc => "ROC AUC",
        LeaderboardMetric.Accuracy => "accuracy at the run's own threshold",
        LeaderboardMetric.F1 => "F1 (PNEUMONIA) at the run's own threshold",
        LeaderboardMetric.SensitivityAtSpecificity => $"sensitivity at specificity ≥ {targetSpecificity:0.##}",
        _ => metric.ToString(),
    };

    /// <param name="threshold">The run's threshold, chosen on its validation split (used by accuracy and F1).</param>
    /// <param name="targetSpecificity">For <see cref="LeaderboardMetric.SensitivityAtSpecificity"/>: the specificity to reach, in (0, 1).</param>
    public static double Score(LeaderboardMetric metric, IReadOnlyList<int> labels, IReadOnlyList<float> probabilities, double threshold, double targetSpecificity = 0.9)
    {
        PredictionInput.Validate(labels, probabilities);
        switch (metric)
        {
            case LeaderboardMetric.Auc:
                return RocCurve.From(labels, probabilities).Auc;
            case LeaderboardMetric.Accuracy:
                return ConfusionMatrix.From(labels, probabilities, threshold).Accuracy;
            case LeaderboardMetric.F1:
                return ConfusionMatrix.From(labels, probabilities, threshold).F1;
            case LeaderboardMetric.SensitivityAtSpecificity:
                if (targetSpecificity is <= 0 or >= 1 || double.IsNaN(targetSpecificity))
                    throw new ArgumentOutOfRangeException(nameof(targetSpecificity), "The target specificity must be between 0 and 1.");
                // The best true-positive rate among operating points whose false-positive rate stays within 1 - target.
                return RocCurve.From(labels, probabilities).Points
                    .Where(p => p.FalsePositiveRate <= 1 - targetSpecificity + 1e-12)
                    .Select(p => p.TruePositiveRate).DefaultIfEmpty(0).Max();
            default:
                throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown leaderboard metric.");
        }
    }

    /// <summary>How many submissions a student has left today (UTC day), given the times of their earlier ones.</summary>
    public static int RemainingToday(IEnumerable<DateTimeOffset> submittedAt, int dailyLimit, DateTimeOffset now)
    {
        var today = now.UtcDateTime.Date;
        return Math.Max(0, dailyLimit - submittedAt.Count(t => t.UtcDateTime.Date == today));
    }
}
