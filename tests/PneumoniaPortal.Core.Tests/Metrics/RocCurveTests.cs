using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class RocCurveTests
{
    [Fact]
    public void Auc_matches_sklearn_on_its_documented_example()
    {
        // sklearn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        var roc = RocCurve.From([0, 0, 1, 1], [0.1f, 0.4f, 0.35f, 0.8f]);

        Assert.Equal(0.75, roc.Auc, 12);
        Assert.True(roc.Defined);
    }

    [Fact]
    public void Points_match_sklearn_roc_curve_starting_at_the_origin_with_an_infinite_threshold()
    {
        // sklearn: roc_curve(..., drop_intermediate=False) -> fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
        var roc = RocCurve.From([0, 0, 1, 1], [0.1f, 0.4f, 0.35f, 0.8f]);

        Assert.Equal([0, 0, 0.5, 0.5, 1], roc.Points.Select(p => p.FalsePositiveRate));
        Assert.Equal([0, 0.5, 0.5, 1, 1], roc.Points.Select(p => p.TruePositiveRate));
        Assert.Equal(double.PositiveInfinity, roc.Points[0].Threshold);
        Assert.Equal([0.8f, 0.4f, 0.35f, 0.1f], roc.Points.Skip(1).Select(p => (float)p.Threshold));
    }

    [Fact]
    public void Tied_scores_make_one_point_and_count_half()
    {
        // sklearn: roc_auc_score([0,1,1,0,1,0,1,1], [.2,.2,.7,.7,.7,.9,.9,.4]) == 0.4666666666666667
        // and roc_curve gives fpr [0, 1/3, 2/3, 2/3, 1], tpr [0, 0.2, 0.6, 0.8, 1]
        var roc = RocCurve.From([0, 1, 1, 0, 1, 0, 1, 1], [0.2f, 0.2f, 0.7f, 0.7f, 0.7f, 0.9f, 0.9f, 0.4f]);

        Assert.Equal(0.4666666666666667, roc.Auc, 12);
        Assert.Equal(5, roc.Points.Count);
        Assert.Equal(new[] { 0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1 }, roc.Points.Select(p => p.FalsePositiveRate), Close);
        Assert.Equal(new[] { 0, 0.2, 0.6, 0.8, 1 }, roc.Points.Select(p => p.TruePositiveRate), Close);
    }

    [Fact]
    public void Auc_of_identical_scores_is_one_half()
    {
        var roc = RocCurve.From([0, 1, 0, 1, 1], [0.5f, 0.5f, 0.5f, 0.5f, 0.5f]);

        Assert.Equal(0.5, roc.Auc, 12);
        Assert.Equal(2, roc.Points.Count);
        Assert.Equal(new RocPoint(1, 1, 0.5), roc.Points[1]);
    }

    [Fact]
    public void Auc_of_a_perfect_ranking_is_one()
    {
        var roc = RocCurve.From([0, 0, 0, 1, 1], [0.1f, 0.2f, 0.3f, 0.31f, 0.9f]);

        Assert.Equal(1, roc.Auc, 12);
    }

    [Fact]
    public void Auc_of_a_reversed_ranking_is_zero()
    {
        var roc = RocCurve.From([1, 1, 0, 0], [0.1f, 0.2f, 0.8f, 0.9f]);

        Assert.Equal(0, roc.Auc, 12);
        Assert.True(roc.Defined);
    }

    [Fact]
    public void Auc_with_a_single_class_is_reported_as_undefined_and_zero_never_NaN()
    {
        var onlyPneumonia = RocCurve.From([1, 1, 1], [0.2f, 0.5f, 0.9f]);
        var onlyNormal = RocCurve.From([0, 0], [0.2f, 0.5f]);
        var empty = RocCurve.From([], []);

        foreach (var roc in new[] { onlyPneumonia, onlyNormal, empty })
        {
            Assert.False(roc.Defined);
            Assert.Equal(0, roc.Auc);
            Assert.All(roc.Points, p => Assert.False(double.IsNaN(p.FalsePositiveRate) || double.IsNaN(p.TruePositiveRate)));
        }
        Assert.Single(empty.Points);
    }

    [Fact]
    public void Auc_equals_the_Mann_Whitney_statistic_on_random_samples_with_ties()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            const int n = 200;
            var labels = new int[n];
            var probabilities = new float[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = random.Next(2);
                // Scores on a coarse grid so that many are tied, some across classes; positives lean higher.
                probabilities[i] = Math.Min(1f, random.Next(21) / 20f + labels[i] * random.Next(3) / 20f);
            }

            var roc = RocCurve.From(labels, probabilities);

            Assert.Equal(MannWhitneyByBruteForce(labels, probabilities), roc.Auc, 12);
        }
    }

    [Fact]
    public void A_hundred_thousand_predictions_are_handled_in_one_sort()
    {
        // An O(n^2) pairwise count would take minutes here; the sort-once version takes milliseconds.
        const int n = 100_000;
        var labels = new int[n];
        var probabilities = new float[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 2;
            probabilities[i] = (i % 2) * 0.5f + (i % 1000) / 2000f;
        }

        var roc = RocCurve.From(labels, probabilities);

        Assert.Equal(1, roc.Auc, 12);
    }

    // Share of (PNEUMONIA, NORMAL) pairs ranked the right way round, a tie counting half.
    private static double MannWhitneyByBruteForce(int[] labels, float[] probabilities)
    {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] != 1) continue;
            for (int j = 0; j < labels.Length; j++)
            {
                if (labels[j] != 0) continue;
                pairs++;
                if (probabilities[i] > probabilities[j]) wins += 1;
                else if (probabilities[i] == probabilities[j]) wins += 0.5;
            }
        }
        return wins / pairs;
    }

    private static readonly IEqualityComparer<double> Close = new Tolerance(1e-12);

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;
        public int GetHashCode(double value) => 0;
    }
}
