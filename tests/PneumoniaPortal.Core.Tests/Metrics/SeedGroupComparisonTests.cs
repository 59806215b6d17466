using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class SeedGroupComparisonTests
{
    // R's sleep data (Cushny & Peebles 1905, as in R's datasets package): extra hours of sleep under two drugs.
    static readonly double[] Drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    static readonly double[] Drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    [Fact]
    public void Welchs_test_matches_Rs_t_test_on_the_sleep_data()
    {
        // R: t.test(extra ~ group, data = sleep) -> Welch Two Sample t-test: t = -1.8608, df = 17.776, p-value = 0.07939,
        // 95 percent confidence interval of group 1 - group 2: -3.3654832 0.2054832; means 0.75 and 2.33.
        var c = SeedGroupComparison.Compute(Drug1, Drug2);
        Assert.True(c.Defined);
        Assert.Equal(0.75, c.MeanA, 10);
        Assert.Equal(2.33, c.MeanB, 10);
        Assert.Equal(1.58, c.Difference, 10); // B - A
        Assert.Equal(17.776, c.DegreesOfFreedom, 3);
        Assert.Equal(0.07939, c.P, 5);
        Assert.Equal(-0.2054832, c.Lower, 6);
        Assert.Equal(3.3654832, c.Upper, 6);
        Assert.Contains("the seeds alone could explain it", c.Sentence("AUC", "A", "B"));
    }

    [Fact]
    public void A_group_of_one_run_or_no_spread_gives_no_test_and_says_why()
    {
        var one = SeedGroupComparison.Compute([0.9], [0.91, 0.93]);
        Assert.False(one.Defined);
        Assert.True(double.IsNaN(one.P));
        Assert.Contains("at least two finished runs", one.Sentence("AUC", "A", "B"));

        var flat = SeedGroupComparison.Compute([0.9, 0.9], [0.95, 0.95]);
        Assert.False(flat.Defined);
        Assert.Contains("no spread", flat.Sentence("AUC", "A", "B"));
    }

    [Fact]
    public void A_clear_difference_is_called_clear_and_its_interval_excludes_zero()
    {
        var c = SeedGroupComparison.Compute([0.90, 0.91, 0.92], [0.96, 0.97, 0.98]);
        Assert.True(c.P < 0.05);
        Assert.True(c.Lower > 0);
        Assert.Contains("unlikely from the seeds alone", c.Sentence("AUC", "A", "B"));
        Assert.Contains("0.060 higher", c.Sentence("AUC", "A", "B"));
    }

    [Fact]
    public void The_spread_is_the_mean_and_the_sample_standard_deviation_of_the_finite_values()
    {
        // mean(c(0.96, 0.97, 0.98)) = 0.97, sd(...) = 0.01 (n - 1 in the denominator)
        var spread = SeedSpread.Of([0.96, 0.97, null, double.NaN, 0.98])!;
        Assert.Equal(3, spread.Count);
        Assert.Equal(0.97, spread.Mean, 12);
        Assert.Equal(0.01, spread.StandardDeviation, 12);
        Assert.Equal("0.970 ± 0.010", spread.Describe());
        Assert.Equal("97.0% ± 1.0%", spread.Describe(percent: true));
        Assert.Equal("0.960", SeedSpread.Of([0.96])!.Describe());
        Assert.Null(SeedSpread.Of(new double?[] { null }));
    }
}
