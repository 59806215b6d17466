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

/// <summary>Creates a leaderboard for a class, on the active data set.</summary>
public sealed record CreateLeaderboardRequest(int CourseId, LeaderboardSettings Settings);

/// <summary>What an instructor may change after creation (the images stay the same).</summary>
public sealed record LeaderboardSettingsChange(string? Title, LeaderboardMetric? Metric, double? TargetSpecificity, int? DailySubmissionLimit);

public sealed record SubmitRunRequest(int RunId);

/// <summary>A leaderboard in the picker: which class, what it ranks by, where it stands.</summary>
public sealed record LeaderboardSummary(int Id, int CourseId, string CourseName, string Title, string Metric, bool Frozen, bool PrivateRevealed, bool CanManage);

/// <summary>
/// One student's row: their best submission by public score (like Kaggle). <see cref="RunId"/> is filled only for the
/// viewer's own rows and for instructors.
/// </summary>
public sealed record LeaderboardEntry(int Rank, string Student, DateTimeOffset SubmittedAt, string Preset, long Parameters, double Score, bool IsMine, int? RunId, int Submissions);

/// <summary>One of the viewer's own submissions; the private score only once the viewer may see it.</summary>
public sealed record MySubmission(int Id, int RunId, string RunName, DateTimeOffset SubmittedAt, double PublicScore, double? PrivateScore);

/// <summary>
/// A leaderboard as one viewer may see it. <see cref="Private"/> is null for students until the instructor reveals it:
/// it is then not computed at all, so a private score cannot reach a student's page or API response by mistake.
/// </summary>
public sealed record LeaderboardView(
    int Id,
    int CourseId,
    string CourseName,
    string Title,
    int DatasetId,
    LeaderboardMetric Metric,
    string MetricDescription,
    double TargetSpecificity,
    double? HeldOutFraction,
    int? Seed,
    int? PublicImages,
    int? PrivateImages,
    int DailySubmissionLimit,
    bool Frozen,
    bool PrivateRevealed,
    bool CanManage,
    bool CanSubmit,
    IReadOnlyList<LeaderboardEntry> Public,
    IReadOnlyList<LeaderboardEntry>? Private,
    IReadOnlyList<MySubmission> MySubmissions,
    int? MyRank,
    int? RemainingToday,
    DateTimeOffset ResetsAt);

/// <summary>A run the viewer could submit: their own, finished, trained on the leaderboard's data set.</summary>
public sealed record EligibleRun(int Id, string Name, string Preset, long Parameters, DateTimeOffset? FinishedAt);

/// <summary>The outcome of a submission, as the student sees it (no private score before the reveal).</summary>
public sealed record SubmissionReceipt(int SubmissionId, int RunId, double PublicScore, double? PrivateScore, int? Rank, int RemainingToday, DateTimeOffset ResetsAt);
