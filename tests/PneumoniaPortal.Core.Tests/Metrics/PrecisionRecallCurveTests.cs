using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class PrecisionRecallCurveTests
{
    [Fact]
    public void Average_precision_matches_sklearn_on_its_documented_example()
    {
        // sklearn: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333333333333333
        // by hand: recall steps 0.5 at precision 1 (score 0.8) and 0.5 at precision 2/3 (score 0.35) -> 0.5 + 1/3
        var pr = PrecisionRecallCurve.From([0, 0, 1, 1], [0.1f, 0.4f, 0.35f, 0.8f]);

        Assert.Equal(0.8333333333333333, pr.AveragePrecision, 12);
        Assert.True(pr.Defined);
    }

    [Fact]
    public void Points_are_sklearns_points_listed_from_the_highest_threshold_down()
    {
        // sklearn precision_recall_curve: precision [0.5, 2/3, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], thresholds [.1, .35, .4, .8]
        var pr = PrecisionRecallCurve.From([0, 0, 1, 1], [0.1f, 0.4f, 0.35f, 0.8f]);

        Assert.Equal([0, 0.5, 0.5, 1, 1], pr.Points.Select(p => p.Recall));
        Assert.Equal([1, 1, 0.5, 2.0 / 3, 0.5], pr.Points.Select(p => p.Precision));
        Assert.Equal(double.PositiveInfinity, pr.Points[0].Threshold);
        Assert.Equal([0.8f, 0.4f, 0.35f, 0.1f], pr.Points.Skip(1).Select(p => (float)p.Threshold));
    }

    [Fact]
    public void Average_precision_with_ties_matches_sklearn()
    {
        // sklearn: average_precision_score([0,1,1,0,1,0,1,1], [.2,.2,.7,.7,.7,.9,.9,.4]) == 0.5983333333333333
        var pr = PrecisionRecallCurve.From([0, 1, 1, 0, 1, 0, 1, 1], [0.2f, 0.2f, 0.7f, 0.7f, 0.7f, 0.9f, 0.9f, 0.4f]);

        Assert.Equal(0.5983333333333333, pr.AveragePrecision, 12);
    }

    [Fact]
    public void Average_precision_of_a_perfect_ranking_is_one()
    {
        var pr = PrecisionRecallCurve.From([0, 1, 0, 1], [0.1f, 0.8f, 0.3f, 0.7f]);

        Assert.Equal(1, pr.AveragePrecision, 12);
    }

    [Fact]
    public void Average_precision_of_identical_scores_is_the_share_of_pneumonia()
    {
        var pr = PrecisionRecallCurve.From([0, 1, 0, 1, 1], [0.4f, 0.4f, 0.4f, 0.4f, 0.4f]);

        Assert.Equal(0.6, pr.AveragePrecision, 12);
    }

    [Fact]
    public void Average_precision_with_a_single_class_is_reported_as_undefined_and_zero_never_NaN()
    {
        foreach (var pr in new[]
                 {
                     PrecisionRecallCurve.From([0, 0, 0], [0.1f, 0.5f, 0.9f]),
                     PrecisionRecallCurve.From([1, 1], [0.1f, 0.5f]),
                     PrecisionRecallCurve.From([], []),
                 })
        {
            Assert.False(pr.Defined);
            Assert.Equal(0, pr.AveragePrecision);
            Assert.All(pr.Points, p => Assert.False(double.IsNaN(p.Recall) || double.IsNaN(p.Precision)));
        }
    }
}
