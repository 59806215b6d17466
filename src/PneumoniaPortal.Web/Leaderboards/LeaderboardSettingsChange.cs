using PneumoniaPortal.Core.Leaderboards;

namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>What an instructor may change after creation (the images stay the same).</summary>
public sealed record LeaderboardSettingsChange(string? Title, LeaderboardMetric? Metric, double? TargetSpecificity, int? DailySubmissionLimit);
