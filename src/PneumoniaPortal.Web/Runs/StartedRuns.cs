namespace PneumoniaPortal.Web.Runs;

/// <summary>What a start queued: one run, or the runs of a seed group (<see cref="Id"/> is then its first).</summary>
public sealed record StartedRuns(int Id, int? GroupId, IReadOnlyList<int> RunIds)
{
    /// <summary>The page to watch them on: the run's, or the seed group's.</summary>
    public string Href => GroupId is { } group ? $"/groups/{group}" : $"/runs/{Id}";
}
