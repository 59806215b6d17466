namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// A run the viewer could submit: their own, finished, trained on the leaderboard's data set; or a seed group of such
/// runs (<see cref="GroupId"/> set, <see cref="Id"/> its first run), scored as one entry.
/// </summary>
public sealed record EligibleRun(int Id, string Name, string Preset, long Parameters, DateTimeOffset? FinishedAt, int? GroupId = null, int Seeds = 1)
{
    /// <summary>What the submit form picks: "run-12" or "group-3".</summary>
    public string Key => GroupId is { } group ? $"group-{group}" : $"run-{Id}";
}
