namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>A run the viewer could submit: their own, finished, trained on the leaderboard's data set.</summary>
public sealed record EligibleRun(int Id, string Name, string Preset, long Parameters, DateTimeOffset? FinishedAt);
