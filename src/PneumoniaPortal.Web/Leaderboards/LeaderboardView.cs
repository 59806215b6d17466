using PneumoniaPortal.Core.Leaderboards;

namespace PneumoniaPortal.Web.Leaderboards;

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
