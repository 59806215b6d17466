using PneumoniaPortal.Core;
using PneumoniaPortal.Core.Leaderboards;

namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>What an instructor chooses for a leaderboard. The held-back share and seed fix its images, so they are set once, at creation.</summary>
public sealed record LeaderboardSettings
{
    public string Title { get; init; } = "";
    /// <summary>Share of the test split held back, 0.1 to 0.9.</summary>
    public double HeldOutFraction { get; init; } = 0.5;
    /// <summary>Null: the portal draws one.</summary>
    public int? Seed { get; init; }
    public LeaderboardMetric Metric { get; init; } = LeaderboardMetric.Auc;
    public double TargetSpecificity { get; init; } = 0.9;
    public int DailySubmissionLimit { get; init; } = 5;

    public IEnumerable<string> Validate()
    {
        var title = (Title ?? "").Trim();
        if (title.Length is < 3 or > 120) yield return $"Give the leaderboard a title of 3 to 120 characters; you entered {title.Length}.";
        if (double.IsNaN(HeldOutFraction) || HeldOutFraction < LeaderboardSplit.MinFraction || HeldOutFraction > LeaderboardSplit.MaxFraction)
            yield return $"The share of the test split held back must be between 10% and 90%; you entered {HeldOutFraction:P0}.";
        if (!EnumNames.IsNamed(Metric)) yield return EnumNames.Problem<LeaderboardMetric>(Metric.ToString(), "The metric");
        if (Metric == LeaderboardMetric.SensitivityAtSpecificity && (double.IsNaN(TargetSpecificity) || TargetSpecificity <= 0 || TargetSpecificity >= 1))
            yield return $"The target specificity must be between 0 and 1 (e.g. 0.9); you entered {TargetSpecificity}.";
        if (DailySubmissionLimit is < 1 or > 100) yield return $"The daily submission limit must be between 1 and 100; you entered {DailySubmissionLimit}.";
    }
}
