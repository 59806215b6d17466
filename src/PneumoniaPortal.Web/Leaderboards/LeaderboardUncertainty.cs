using System.Collections.Concurrent;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// The public ranking's uncertainty (<see cref="LeaderboardBootstrap"/>): each entry's 95% interval and its chance of
/// being ahead of the next entry, on the public half only. One per process: a submission's scores on the resamples of
/// its board's public half never change (the halves are fixed, the resamples seeded), so they are computed once per
/// submission and metric; a ranking's figures are then a few comparisons of arrays. The figures are the same for every
/// viewer of the board.
/// </summary>
public sealed class LeaderboardUncertainty(ILogger<LeaderboardUncertainty> log)
{
    const int Bound = 5_000; // a bound, not a policy: far more submissions than a portal's live boards hold

    readonly ConcurrentDictionary<(int Board, LeaderboardMetric Metric, double Target, int Submission), double[]> _scores = new();

    /// <summary>
    /// The ranking with intervals and chances filled in. <paramref name="submissionIds"/> are the entries' submissions in
    /// ranking order; <paramref name="probabilitiesOf"/> reads one submission's probabilities on the public half (in
    /// its order) and threshold, or null when its files cannot be read (that entry then gets neither figure, and is
    /// read again next time). Whatever goes wrong here leaves the ranking as it was, without the figures.
    /// </summary>
    public async Task<IReadOnlyList<LeaderboardEntry>> AddAsync(Leaderboard board, IReadOnlyList<LeaderboardEntry> ranking, IReadOnlyList<int> submissionIds,
        LeaderboardImages? images, Func<int, Task<(float[] Public, double Threshold)?>> probabilitiesOf)
    {
        if (ranking.Count == 0 || images is null || images.Public.Select(i => i.Label).Distinct().Count() < 2) return ranking;
        try
        {
            LeaderboardBootstrap? bootstrap = null;
            var scores = new List<double[]?>();
            foreach (var id in submissionIds)
            {
                var key = (board.Id, board.Metric, board.TargetSpecificity, id);
                if (!_scores.TryGetValue(key, out var resampled) && await probabilitiesOf(id) is { } vector)
                {
                    bootstrap ??= new LeaderboardBootstrap(images.Public.Select(i => (int)i.Label).ToArray(), board.Metric, board.TargetSpecificity);
                    resampled = bootstrap.Scores(vector.Public, vector.Threshold);
                    if (_scores.Count > Bound) _scores.Clear();
                    _scores[key] = resampled;
                }
                scores.Add(resampled);
            }
            return ranking.Select((entry, i) =>
            {
                var interval = scores[i] is { } own ? LeaderboardBootstrap.Interval(entry.Score, own) : null;
                var chance = i + 1 < scores.Count && scores[i] is { } mine && scores[i + 1] is { } next ? LeaderboardBootstrap.ChanceAhead(mine, next) : (double?)null;
                return entry with { Lower = interval?.Lower, Upper = interval?.Upper, ChanceAheadOfNext = chance };
            }).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Leaderboard {Id}: the public ranking is shown without its intervals", board.Id);
            return ranking;
        }
    }
}
