using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class MapSimilarityTests
{
    [Fact]
    public void The_rank_correlation_matches_the_textbook_example()
    {
        // The classic example (IQ against hours of television per week, as in Wikipedia's "Spearman's rank correlation
        // coefficient"): rho = 1 - 6 * 194 / (10 * 99) = -29/165.
        float[] iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
        float[] tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];
        var similarity = MapSimilarity.Of(iq, tv);
        Assert.Equal(-29 / 165.0, similarity.Spearman, 10);
        Assert.False(similarity.Alike);
        Assert.Contains("differ", similarity.Sentence());
    }

    [Fact]
    public void Ties_share_their_average_rank_and_a_monotone_copy_is_perfectly_alike()
    {
        // Ranks with ties averaged: a = [1.5, 1.5, 3, 4], b = [1, 2, 3, 4]; Pearson of the ranks = 0.9486833.
        var tied = MapSimilarity.Of([0, 0, 1, 2], [1, 2, 3, 4]);
        Assert.Equal(0.9486833, tied.Spearman, 6);
        var monotone = MapSimilarity.Of([0.1f, 0.4f, 0.2f, 0.9f], [1, 16, 4, 81]);
        Assert.Equal(1.0, monotone.Spearman, 12);
        Assert.True(monotone.Alike);
        Assert.Contains("not what the network learned", monotone.Sentence());
    }

    [Fact]
    public void A_flat_map_has_no_correlation_and_bad_input_is_refused()
    {
        var flat = MapSimilarity.Of([0, 0, 0], [1, 2, 3]);
        Assert.False(flat.Defined);
        Assert.False(flat.Alike);
        Assert.Contains("trained network's map is empty", flat.Sentence());
        Assert.Contains("random network's map is flat", MapSimilarity.Of([1, 2, 3], [0, 0, 0]).Sentence());
        Assert.Throws<ArgumentException>(() => MapSimilarity.Of([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => MapSimilarity.Of([1], [1]));
    }
}
