namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>One of the viewer's own submissions (a run, or a seed group as one entry); the private score only once the viewer may see it.</summary>
public sealed record MySubmission(int Id, int RunId, string RunName, DateTimeOffset SubmittedAt, double PublicScore, double? PrivateScore,
    int? GroupId = null, bool IsFinal = false);
