using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

/// <summary>
/// DeLong's and McNemar's tests against reference values computed independently: a pure-Python implementation of the
/// formulas of DeLong, DeLong &amp; Clarke-Pearson (1988) with exact fractions, checked against a brute force over all
/// pairs and a case worked by hand (below); McNemar against Agresti's textbook table and exact binomial sums.
/// </summary>
public class PairedComparisonTests
{
    [Fact]
    public void DeLong_on_a_case_worked_by_hand()
    {
        // V10_A = [1, 2/3, 1/2], V01_A = [1/3, 5/6, 1] -> AUC_A = 13/18; V10_B = [1, 1, 1/3], V01_B = [2/3, 2/3, 1] -> AUC_B = 14/18.
        // The differences V_B - V_A: [0, 1/3, -1/6] over positives and [1/3, -1/6, 0] over negatives, sample variance
        // 7/108 each, so Var(B - A) = 7/108/3 + 7/108/3 = 7/162 and z = (1/18) / sqrt(7/162) = 1/sqrt(14).
        int[] labels = [1, 1, 1, 0, 0, 0];
        var c = PairedAucComparison.Compute(labels, [0.9f, 0.6f, 0.4f, 0.7f, 0.4f, 0.2f], [0.8f, 0.7f, 0.3f, 0.5f, 0.6f, 0.1f]);
        Assert.Equal(13.0 / 18, c.AucA, 12);
        Assert.Equal(14.0 / 18, c.AucB, 12);
        Assert.Equal(Math.Sqrt(7.0 / 162), c.StandardError, 12);
        Assert.Equal(1 / Math.Sqrt(14), c.Z, 12);
        Assert.Equal(0.7892680261342813, c.P, 10);
    }

    [Fact]
    public void DeLong_matches_the_reference_with_ties_between_labels()
    {
        int[] labels = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        float[] a = [0.95f, 0.80f, 0.70f, 0.65f, 0.60f, 0.55f, 0.40f, 0.30f, 0.75f, 0.50f, 0.45f, 0.35f, 0.30f, 0.25f, 0.20f, 0.15f, 0.10f, 0.05f];
        float[] b = [0.90f, 0.85f, 0.60f, 0.80f, 0.40f, 0.70f, 0.65f, 0.20f, 0.55f, 0.60f, 0.30f, 0.40f, 0.10f, 0.35f, 0.25f, 0.05f, 0.15f, 0.20f];
        var c = PairedAucComparison.Compute(labels, a, b);
        Assert.Equal(137.0 / 160, c.AucA, 12);
        Assert.Equal(141.0 / 160, c.AucB, 12);
        Assert.Equal(0.025, c.Difference, 12);
        Assert.Equal(0.08024021475228033, c.StandardError, 12);
        Assert.Equal(0.31156447022456957, c.Z, 10);
        Assert.Equal(0.7553715396684038, c.P, 10);
        Assert.Equal(-0.13226793102622905, c.Lower, 10);
        Assert.Equal(0.18226793102622887, c.Upper, 10);
    }

    [Fact]
    public void DeLong_matches_the_reference_where_b_is_worse()
    {
        // The reference's 40 subjects (made without randomness: label 1 unless k % 3 == 0; scores from k * 37 mod 101 and k * 53 mod 97).
        var labels = Enumerable.Range(0, 40).Select(k => k % 3 != 0 ? 1 : 0).ToArray();
        float[] a = [0.0f, 0.622f, 0.844f, 0.06f, 0.682f, 0.904f, 0.12f, 0.742f, 0.964f, 0.18f, 0.802f, 0.418f, 0.24f, 0.862f, 0.478f, 0.3f, 0.922f, 0.538f, 0.36f, 0.982f,
            0.598f, 0.42f, 0.436f, 0.658f, 0.48f, 0.496f, 0.718f, 0.54f, 0.556f, 0.778f, 0.6f, 0.616f, 0.838f, 0.054f, 0.676f, 0.898f, 0.114f, 0.736f, 0.958f, 0.174f];
        float[] b = [0.0f, 0.686f, 0.366f, 0.452f, 0.431f, 0.818f, 0.197f, 0.883f, 0.562f, 0.649f, 0.628f, 0.307f, 0.394f, 0.373f, 0.759f, 0.139f, 0.825f, 0.504f, 0.591f, 0.57f,
            0.956f, 0.335f, 0.315f, 0.701f, 0.08f, 0.767f, 0.446f, 0.532f, 0.511f, 0.898f, 0.277f, 0.964f, 0.643f, 0.022f, 0.708f, 0.387f, 0.474f, 0.453f, 0.84f, 0.219f];
        var c = PairedAucComparison.Compute(labels, a, b);
        Assert.Equal(87.0 / 91, c.AucA, 12);
        Assert.Equal(153.0 / 182, c.AucB, 12);
        Assert.Equal(0.06928844087161824, c.StandardError, 12);
        Assert.Equal(-1.6652794309285557, c.Z, 10);
        Assert.Equal(0.095857020247263, c.P, 10);
        Assert.Equal(-0.25118746403792014, c.Lower, 10);
        Assert.Equal(0.020418233268689523, c.Upper, 10);
    }

    [Fact]
    public void Two_models_that_rank_alike_have_no_difference_to_test()
    {
        int[] labels = [1, 1, 0, 0];
        float[] same = [0.9f, 0.6f, 0.5f, 0.1f];
        var c = PairedAucComparison.Compute(labels, same, same);
        Assert.False(c.Defined);
        Assert.Equal(0.0, c.Difference);
        Assert.True(double.IsNaN(c.P));
        Assert.Contains("rank the test images alike", new PairedComparison(c, McNemarTest.FromCounts(0, 0)).AucSentence("A", "B"));
        // A collapsed run (one score for every image) against a perfect one: the variance is 0 too, but nobody is perfect twice.
        var collapsed = PairedAucComparison.Compute(labels, [0.9f, 0.8f, 0.2f, 0.1f], [1f, 1f, 1f, 1f]);
        Assert.Equal((false, -0.5), (collapsed.Defined, collapsed.Difference));
        var said = new PairedComparison(collapsed, McNemarTest.FromCounts(2, 0)).AucSentence("A", "B");
        Assert.Contains("no interval or test is possible", said);
        Assert.DoesNotContain("perfectly", said);
        Assert.Contains("at least 2 PNEUMONIA and 2 NORMAL", Assert.Throws<ArgumentException>(() => PairedAucComparison.Compute([1, 0, 0], [0.5f, 0.2f, 0.1f], [0.4f, 0.3f, 0.2f])).Message);
    }

    [Theory]
    [InlineData(150, 86, 17.35593220338983, 3.715936139571442e-05)] // Agresti (2002) section 10.1: z^2 = 17.36
    [InlineData(12, 20, 2.0, 0.21532714972272515)]
    [InlineData(3, 0, 3.0, 0.25)]
    [InlineData(5, 5, 0.0, 1.0)]
    public void McNemar_matches_the_textbook_and_the_exact_binomial_sums(int onlyA, int onlyB, double chiSquare, double p)
    {
        var test = McNemarTest.FromCounts(onlyA, onlyB);
        Assert.Equal(chiSquare, test.ChiSquare, 10);
        Assert.Equal(p, test.P, 12);
    }

    [Fact]
    public void McNemar_counts_each_models_right_and_wrong_decisions_at_its_own_threshold()
    {
        int[] labels = [1, 1, 1, 0, 0, 0];
        // A at 0.5: right on images 0, 1, 3, 4, 5 (wrong on 2). B at 0.3: right on 0, 1, 2, 3, 5 (wrong on 4).
        var test = McNemarTest.Compute(labels, [0.9f, 0.6f, 0.4f, 0.2f, 0.45f, 0.1f], 0.5, [0.9f, 0.6f, 0.4f, 0.2f, 0.45f, 0.1f], 0.3);
        Assert.Equal((1, 1, 4, 0), (test.OnlyA, test.OnlyB, test.BothRight, test.BothWrong));
        Assert.Equal(1.0, test.P, 12);
    }

    [Fact]
    public void The_verdict_is_said_in_words_with_the_interval_and_never_as_equal()
    {
        var unclear = new PairedComparison(new PairedAucComparison(0.960, 0.972, 0.012, 0.008, -0.004, 0.028, 1.5, 0.134), McNemarTest.FromCounts(12, 20));
        Assert.Equal("B's AUC is 0.012 higher than A's (95% CI of B - A: -0.004 to 0.028, p = 0.134); the data do not show a clear difference.", unclear.AucSentence("A", "B"));
        Assert.Equal("At their own thresholds, A alone is right on 12 test images and B alone on 20 (McNemar p = 0.215); the data do not show a clear difference.",
            unclear.DecisionSentence("A", "B"));
        var clear = new PairedComparison(new PairedAucComparison(0.95, 0.90, -0.05, 0.01, -0.07, -0.03, -5, 0.0000005), McNemarTest.FromCounts(150, 86));
        Assert.Equal("B's AUC is 0.050 lower than A's (95% CI of B - A: -0.070 to -0.030, p < 0.001); A ranks the test images better, and a difference this large would be unlikely if the two were equally good.",
            clear.AucSentence("A", "B"));
        Assert.EndsWith("(McNemar p < 0.001); A decides better, more often than chance would explain.", clear.DecisionSentence("A", "B"));
    }
}
