namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>A run to submit, or with <see cref="GroupId"/> a seed group (then RunId is ignored).</summary>
public sealed record SubmitRunRequest(int RunId, int? GroupId = null);
