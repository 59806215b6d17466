using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class BootstrapIntervalsTests
{
    /// <summary>A test split like the real one's shape, made without randomness: 60 PNEUMONIA, 40 NORMAL, overlapping scores with ties.</summary>
    static (int[] Labels, float[] Probabilities) Split()
    {
        var labels = Enumerable.Range(0, 100).Select(k => k % 5 < 3 ? 1 : 0).ToArray();
        var probabilities = Enumerable.Range(0, 100).Select(k => (float)Math.Round(Math.Clamp((k * 37 % 101) / 100.0 * 0.7 + 0.25 * labels[k], 0, 1), 2)).ToArray();
        return (labels, probabilities);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 0.25, 1.75)] // numpy.percentile([1,2,3,4], 25) = 1.75
    [InlineData(new[] { 1.0, 2, 3, 4 }, 0.975, 3.925)] // numpy.percentile([1,2,3,4], 97.5) = 3.925
    [InlineData(new[] { 5.0 }, 0.025, 5)]
    public void The_percentile_rule_is_numpys_linear_interpolation(double[] sorted, double q, double expected) =>
        Assert.Equal(expected, BootstrapIntervals.Percentile(sorted, q), 12);

    [Fact]
    public void Every_interval_equals_a_brute_force_bootstrap_that_recomputes_each_figure_from_the_resampled_images()
    {
        var (labels, probabilities) = Split();
        const int seed = 7, resamples = 300;
        var intervals = BootstrapIntervals.Compute(labels, probabilities, threshold: 0.5, resamples, seed);

        // The same draws (positives, then negatives, from one seeded Random), each resample evaluated from scratch.
        var positives = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 1).ToArray();
        var negatives = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 0).ToArray();
        var random = new Random(seed);
        var figures = Enumerable.Range(0, 6).Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < resamples; r++)
        {
            var drawn = positives.Select(_ => positives[random.Next(positives.Length)]).Concat(negatives.Select(_ => negatives[random.Next(negatives.Length)])).ToArray();
            var e = BinaryEvaluation.Compute(drawn.Select(i => labels[i]).ToArray(), drawn.Select(i => probabilities[i]).ToArray(), 0.5);
            double[] values = [e.Accuracy, e.Auc, e.Sensitivity, e.Specificity, e.Precision, e.F1];
            for (int f = 0; f < 6; f++) figures[f].Add(values[f]);
        }
        MetricInterval[] got = [intervals.Accuracy, intervals.Auc, intervals.Sensitivity, intervals.Specificity, intervals.Precision, intervals.F1];
        var observed = BinaryEvaluation.Compute(labels, probabilities, 0.5);
        double[] estimates = [observed.Accuracy, observed.Auc, observed.Sensitivity, observed.Specificity, observed.Precision, observed.F1];
        for (int f = 0; f < 6; f++)
        {
            var sorted = figures[f].Order().ToArray();
            Assert.Equal(estimates[f], got[f].Estimate, 12);
            Assert.Equal(BootstrapIntervals.Percentile(sorted, 0.025), got[f].Lower, 12);
            Assert.Equal(BootstrapIntervals.Percentile(sorted, 0.975), got[f].Upper, 12);
            Assert.InRange(got[f].Estimate, got[f].Lower - 0.05, got[f].Upper + 0.05);
            Assert.True(got[f].Lower < got[f].Upper, $"figure {f}: {got[f]}");
        }
    }

    [Fact]
    public void Resamples_without_an_image_called_pneumonia_have_no_precision_rather_than_a_precision_of_zero()
    {
        // Only one image is called PNEUMONIA at 0.9 (a PNEUMONIA one): many resamples miss it and call nothing PNEUMONIA.
        int[] labels = [1, 1, 1, 1, 0, 0, 0, 0];
        var intervals = BootstrapIntervals.Compute(labels, [0.95f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f, 0.05f], 0.9, seed: 2);
        Assert.Equal(new MetricInterval(1, 1, 1), intervals.Precision);
    }

    [Fact]
    public void The_same_seed_gives_the_same_intervals_and_another_seed_others()
    {
        var (labels, probabilities) = Split();
        var first = BootstrapIntervals.Compute(labels, probabilities, 0.5, seed: 3);
        Assert.Equal(first, BootstrapIntervals.Compute(labels, probabilities, 0.5, seed: 3));
        Assert.NotEqual(first.Auc, BootstrapIntervals.Compute(labels, probabilities, 0.5, seed: 4).Auc);
        Assert.Equal((2000, 3), (first.Resamples, first.Seed));
    }

    [Fact]
    public void A_perfect_model_has_intervals_of_width_zero_and_more_images_give_narrower_intervals()
    {
        int[] labels = [1, 1, 1, 0, 0, 0];
        var perfect = BootstrapIntervals.Compute(labels, [0.9f, 0.8f, 0.7f, 0.3f, 0.2f, 0.1f], 0.5);
        Assert.Equal(new MetricInterval(1, 1, 1), perfect.Auc);
        Assert.Equal(new MetricInterval(1, 1, 1), perfect.Accuracy);

        var (small, smallP) = Split();
        var large = Enumerable.Range(0, 8).SelectMany(_ => small).ToArray();
        var largeP = Enumerable.Range(0, 8).SelectMany(_ => smallP).ToArray();
        double Width(MetricInterval m) => m.Upper - m.Lower;
        Assert.True(Width(BootstrapIntervals.Compute(large, largeP, 0.5).Auc) < Width(BootstrapIntervals.Compute(small, smallP, 0.5).Auc) * 0.6);
    }

    [Fact]
    public void One_label_only_and_absurd_settings_are_refused_in_words()
    {
        Assert.Contains("one label only", Assert.Throws<ArgumentException>(() => BootstrapIntervals.Compute([1, 1], [0.2f, 0.9f], 0.5)).Message);
        Assert.Contains("at least 2 resamples", Assert.Throws<ArgumentException>(() => BootstrapIntervals.Compute([1, 0], [0.9f, 0.2f], 0.5, resamples: 1)).Message);
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentException>(() => BootstrapIntervals.Compute([1, 0], [0.9f, 0.2f], 0.5, level: 1.5)).Message);
    }

    [Fact]
    public void An_interval_reads_as_the_results_tab_writes_it() =>
        Assert.Equal("0.925 (0.904-0.944)", new MetricInterval(0.9251, 0.9044, 0.9436).ToString());
}
