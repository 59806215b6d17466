using System.Globalization;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Results;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.Web.Compare;

/// <summary>Loads 2 to 4 runs for the signed-in viewer; a run they may not see is named in a problem and contributes nothing.</summary>
public sealed class RunComparisonService(RunService runs, RunResultsService results)
{
    public const int MinRuns = 2, MaxRuns = 4;

    /// <summary>"3,1,7" → [3, 1, 7]: distinct, in the given order, anything that is not a run id ignored.</summary>
    public static IReadOnlyList<int> ParseIds(string? ids) =>
        (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().ToList();

    /// <summary>Finished runs the viewer may compare: their own, those shared to their classes, and all runs of the classes they teach.</summary>
    public async Task<IReadOnlyList<RunListItem>> CandidatesAsync(CancellationToken ct = default) =>
        (await runs.ListAsync(includeClassRuns: true, ct)).Where(r => r.Status == RunStatus.Succeeded).ToList();

    public async Task<ComparisonOutcome> CompareAsync(IReadOnlyList<int> ids, CancellationToken ct = default)
    {
        var problems = new List<string>();
        if (ids.Count > MaxRuns)
        {
            problems.Add($"Compare at most {MaxRuns} runs at a time; the first {MaxRuns} are shown.");
            ids = ids.Take(MaxRuns).ToList();
        }
        var loaded = new List<RunResults>();
        foreach (var id in ids)
        {
            if (await results.LoadAsync(id, ct) is { } r) { loaded.Add(r); continue; }
            // Same words for a missing run and another student's private one, so ids leak nothing.
            var detail = await runs.GetAsync(id, ct);
            problems.Add(detail is null
                ? $"Run {id} does not exist, or it is another student's private run: it is left out."
                : $"Run {id} ({detail.Run.Name}) has no test results ({detail.Run.Status}): only finished runs can be compared.");
        }
        if (loaded.Count < MinRuns && ids.Count >= MinRuns)
            problems.Add($"Choose at least {MinRuns} finished runs you can see to compare them.");
        return new ComparisonOutcome(loaded.Count >= MinRuns ? new RunComparison(loaded) : null, problems, ids);
    }
}
