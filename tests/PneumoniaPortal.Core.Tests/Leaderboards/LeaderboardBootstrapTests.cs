using PneumoniaPortal.Core.Leaderboards;

namespace PneumoniaPortal.Core.Tests.Leaderboards;

public class LeaderboardBootstrapTests
{
    /// <summary>A public half of 40 images (24 PNEUMONIA) and two entries with overlapping, partly tied scores; made without randomness.</summary>
    static (int[] Labels, float[] A, float[] B) Half()
    {
        var labels = Enumerable.Range(0, 40).Select(k => k % 5 < 3 ? 1 : 0).ToArray();
        var a = Enumerable.Range(0, 40).Select(k => (float)Math.Round(Math.Clamp((k * 37 % 41) / 40.0 * 0.7 + 0.25 * labels[k], 0, 1), 1)).ToArray();
        var b = Enumerable.Range(0, 40).Select(k => (float)Math.Round(Math.Clamp((k * 17 % 43) / 42.0 * 0.8 + 0.15 * labels[k], 0, 1), 2)).ToArray();
        return (labels, a, b);
    }

    [Theory]
    [InlineData(LeaderboardMetric.Auc)]
    [InlineData(LeaderboardMetric.Accuracy)]
    [InlineData(LeaderboardMetric.F1)]
    [InlineData(LeaderboardMetric.SensitivityAtSpecificity)]
    public void Each_resampled_score_equals_the_leaderboards_own_score_of_the_resampled_images(LeaderboardMetric metric)
    {
        var (labels, a, _) = Half();
        const int seed = 5, resamples = 200;
        var scores = new LeaderboardBootstrap(labels, metric, 0.8, resamples, seed).Scores(a, 0.5);

        // The same draws (positives, then negatives, from one seeded Random), each resample scored from scratch.
        var positives = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 1).ToArray();
        var negatives = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 0).ToArray();
        var random = new Random(seed);
        for (int r = 0; r < resamples; r++)
        {
            var drawn = positives.Select(_ => positives[random.Next(positives.Length)]).Concat(negatives.Select(_ => negatives[random.Next(negatives.Length)])).ToArray();
            var expected = LeaderboardScoring.Score(metric, drawn.Select(i => labels[i]).ToArray(), drawn.Select(i => a[i]).ToArray(), 0.5, 0.8);
            Assert.Equal(expected, scores[r], 12);
        }
    }

    [Fact]
    public void The_chance_of_staying_ahead_counts_wins_and_half_the_ties_on_the_same_resamples()
    {
        Assert.Equal(0.625, LeaderboardBootstrap.ChanceAhead([0.9, 0.8, 0.7, 0.6], [0.8, 0.8, 0.9, 0.5]), 12); // 2 wins, 1 tie, 1 loss
        var (labels, a, b) = Half();
        var bootstrap = new LeaderboardBootstrap(labels, LeaderboardMetric.Auc);
        var sa = bootstrap.Scores(a, 0.5);
        var sb = bootstrap.Scores(b, 0.5);
        var ab = LeaderboardBootstrap.ChanceAhead(sa, sb);
        Assert.Equal(1, ab + LeaderboardBootstrap.ChanceAhead(sb, sa), 12);
        // An entry is as likely to be ahead of itself as behind.
        Assert.Equal(0.5, LeaderboardBootstrap.ChanceAhead(sa, bootstrap.Scores(a, 0.5)), 12);
        // Seeded: the same board gives the same figures.
        Assert.Equal(sa, new LeaderboardBootstrap(labels, LeaderboardMetric.Auc).Scores(a, 0.5));
    }

    [Fact]
    public void The_interval_holds_the_score_and_narrows_when_the_half_grows()
    {
        var (labels, a, _) = Half();
        var score = LeaderboardScoring.Score(LeaderboardMetric.Auc, labels, a, 0.5);
        var small = LeaderboardBootstrap.Interval(score, new LeaderboardBootstrap(labels, LeaderboardMetric.Auc).Scores(a, 0.5));
        Assert.InRange(score, small.Lower, small.Upper);
        int[] labels4 = [.. labels, .. labels, .. labels, .. labels];
        float[] a4 = [.. a, .. a, .. a, .. a];
        var large = LeaderboardBootstrap.Interval(score, new LeaderboardBootstrap(labels4, LeaderboardMetric.Auc).Scores(a4, 0.5));
        Assert.True(large.Upper - large.Lower < small.Upper - small.Lower);
    }

    [Fact]
    public void A_half_with_one_label_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new LeaderboardBootstrap([1, 1, 1], LeaderboardMetric.Auc));
    }
}
