namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// One student's row: in the public ranking their best submission by public score (like Kaggle); in the private one
/// the best of their final choices (or, with none chosen, of their two best public ones). <see cref="RunId"/> and
/// <see cref="GroupId"/> are filled only for the viewer's own rows and for instructors.
/// </summary>
/// <param name="Lower">With <see cref="Upper"/>: the public score's 95% interval (public ranking only).</param>
/// <param name="ChanceAheadOfNext">How often this entry stays ahead of the next one down on resamples of the public half; null for the last.</param>
public sealed record LeaderboardEntry(int Rank, string Student, DateTimeOffset SubmittedAt, string Preset, long Parameters, double Score, bool IsMine, int? RunId,
    int Submissions, int? GroupId = null, double? Lower = null, double? Upper = null, double? ChanceAheadOfNext = null);
