using System.Collections.Concurrent;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// The public ranking's uncertainty (<see cref="LeaderboardBootstrap"/>): each entry's 95% interval and its chance of
/// being ahead of the next entry, on the public half only. One per process: a submission's public probabilities never
/// change, so they are read once, and a ranking's figures are kept until a submission changes it.
/// </summary>
public sealed class LeaderboardUncertainty
{
    const int Bound = 2_000; // a bound, not a policy: far more than a portal's live rankings and submissions

    readonly ConcurrentDictionary<int, (float[] Public, double Threshold)?> _submissions = new();
    readonly ConcurrentDictionary<string, (IReadOnlyList<(double Lower, double Upper)?> Intervals, IReadOnlyList<double?> Chances)> _rankings = new();

    /// <summary>
    /// The ranking with intervals and chances filled in. <paramref name="submissionIds"/> are the entries' submissions in
    /// ranking order; <paramref name="probabilitiesOf"/> reads one submission's probabilities on the public half (in
    /// its order) and threshold, or null when its files are gone (that entry then gets neither figure).
    /// </summary>
    public async Task<IReadOnlyList<LeaderboardEntry>> AddAsync(Leaderboard board, IReadOnlyList<LeaderboardEntry> ranking, IReadOnlyList<int> submissionIds,
        LeaderboardImages? images, Func<int, Task<(float[] Public, double Threshold)?>> probabilitiesOf)
    {
        if (ranking.Count == 0 || images is null || images.Public.Select(i => i.Label).Distinct().Count() < 2) return ranking;
        var key = $"{board.Id}|{board.Metric}|{board.TargetSpecificity:R}|{string.Join(',', submissionIds)}";
        if (!_rankings.TryGetValue(key, out var figures))
        {
            var vectors = new List<(float[] Public, double Threshold)?>();
            foreach (var id in submissionIds)
            {
                if (!_submissions.TryGetValue(id, out var vector))
                {
                    if (_submissions.Count > Bound) _submissions.Clear();
                    _submissions[id] = vector = await probabilitiesOf(id);
                }
                vectors.Add(vector);
            }
            var bootstrap = new LeaderboardBootstrap(images.Public.Select(i => (int)i.Label).ToArray(), board.Metric, board.TargetSpecificity);
            var scores = vectors.Select(v => v is { } x ? bootstrap.Scores(x.Public, x.Threshold) : null).ToList();
            figures = (
                scores.Select((s, i) => s is null ? ((double, double)?)null : Interval(ranking[i].Score, s)).ToList(),
                scores.Select((s, i) => i + 1 < scores.Count && s is not null && scores[i + 1] is { } next
                    ? LeaderboardBootstrap.ChanceAhead(s, next) : (double?)null).ToList());
            if (_rankings.Count > Bound) _rankings.Clear();
            _rankings[key] = figures;
        }
        return ranking.Select((e, i) => e with { Lower = figures.Intervals[i]?.Lower, Upper = figures.Intervals[i]?.Upper, ChanceAheadOfNext = figures.Chances[i] }).ToList();
    }

    static (double, double) Interval(double score, double[] scores)
    {
        var interval = LeaderboardBootstrap.Interval(score, scores);
        return (interval.Lower, interval.Upper);
    }
}
