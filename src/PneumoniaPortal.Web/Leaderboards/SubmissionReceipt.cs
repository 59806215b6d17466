namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>The outcome of a submission, as the student sees it (no private score before the reveal).</summary>
public sealed record SubmissionReceipt(int SubmissionId, int RunId, double PublicScore, double? PrivateScore, int? Rank, int RemainingToday, DateTimeOffset ResetsAt);
