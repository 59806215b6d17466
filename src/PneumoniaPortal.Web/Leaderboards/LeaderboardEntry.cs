namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// One student's row: their best submission by public score (like Kaggle). <see cref="RunId"/> is filled only for the
/// viewer's own rows and for instructors.
/// </summary>
public sealed record LeaderboardEntry(int Rank, string Student, DateTimeOffset SubmittedAt, string Preset, long Parameters, double Score, bool IsMine, int? RunId, int Submissions);
