namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>Creates a leaderboard for a class, on the class's data set.</summary>
public sealed record CreateLeaderboardRequest(int CourseId, LeaderboardSettings Settings);
