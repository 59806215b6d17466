namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>A leaderboard in the picker: which class, what it ranks by, where it stands.</summary>
public sealed record LeaderboardSummary(int Id, int CourseId, string CourseName, string Title, string Metric, bool Frozen, bool PrivateRevealed, bool CanManage);
