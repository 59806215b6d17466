namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>The viewer's final submissions for the private ranking: at most <see cref="LeaderboardService.MaxFinals"/> of their own.</summary>
public sealed record FinalChoiceRequest(IReadOnlyList<int> SubmissionIds);
