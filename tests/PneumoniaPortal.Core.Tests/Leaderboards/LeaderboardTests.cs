using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;

namespace PneumoniaPortal.Core.Tests.Leaderboards;

public sealed class LeaderboardTests
{
    static List<ImageRecord> Catalog(int normalTest, int pneumoniaTest, int train = 10) =>
    [
        .. Enumerable.Range(0, normalTest).Select(i => new ImageRecord($"test/NORMAL/n{i:D3}.jpeg", Split.Test, Label.Normal, "normal", 224, 224, $"tn{i}", 100)),
        .. Enumerable.Range(0, pneumoniaTest).Select(i => new ImageRecord($"test/PNEUMONIA/p{i:D3}.jpeg", Split.Test, Label.Pneumonia, "bacteria", 224, 224, $"tp{i}", 100)),
        .. Enumerable.Range(0, train).Select(i => new ImageRecord($"train/NORMAL/t{i:D3}.jpeg", Split.Train, Label.Normal, "normal", 224, 224, $"tr{i}", 100)),
    ];

    [Fact]
    public void Split_holds_back_the_asked_share_of_test_only_stratified_with_disjoint_halves()
    {
        var images = Catalog(234, 390);
        var board = LeaderboardSplit.Choose(images, 0.5, seed: 7);
        Assert.Equal(117, board.All.Count(i => i.Label == Label.Normal));
        Assert.Equal(195, board.All.Count(i => i.Label == Label.Pneumonia));
        Assert.All(board.All, i => Assert.Equal(Split.Test, i.Split));
        Assert.Empty(board.Public.Intersect(board.Private));
        Assert.InRange(board.Public.Count - board.Private.Count, 0, 2);
        Assert.Equal(59, board.Public.Count(i => i.Label == Label.Normal));
    }

    [Fact]
    public void Split_is_the_same_for_the_same_seed_and_differs_for_another()
    {
        var images = Catalog(50, 80);
        var a = LeaderboardSplit.Choose(images, 0.4, 3);
        var b = LeaderboardSplit.Choose(images.AsEnumerable().Reverse().ToList(), 0.4, 3);
        var c = LeaderboardSplit.Choose(images, 0.4, 4);
        Assert.Equal(a.Public.Select(i => i.RelativePath), b.Public.Select(i => i.RelativePath));
        Assert.NotEqual(a.Public.Select(i => i.RelativePath), c.Public.Select(i => i.RelativePath));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.95)]
    [InlineData(double.NaN)]
    public void Split_refuses_an_absurd_share(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LeaderboardSplit.Choose(Catalog(10, 10), fraction, 1));
        Assert.Contains("between 10% and 90%", e.Message);
    }

    static readonly int[] Labels = [0, 0, 0, 0, 1, 1, 1, 1];
    static readonly float[] Probabilities = [0.1f, 0.2f, 0.3f, 0.7f, 0.4f, 0.8f, 0.9f, 0.95f];

    [Fact]
    public void Scores_match_hand_counts()
    {
        // Pairs (positive, negative) ranked right: 0.4 beats 0.1,0.2,0.3 (3); 0.8, 0.9, 0.95 beat all 4 (12) -> 15/16.
        Assert.Equal(15.0 / 16, LeaderboardScoring.Score(LeaderboardMetric.Auc, Labels, Probabilities, 0.5), 9);
        // At 0.5: TN 3, FP 1 (0.7), FN 1 (0.4), TP 3.
        Assert.Equal(6.0 / 8, LeaderboardScoring.Score(LeaderboardMetric.Accuracy, Labels, Probabilities, 0.5), 9);
        Assert.Equal(6.0 / 8, LeaderboardScoring.Score(LeaderboardMetric.F1, Labels, Probabilities, 0.5), 9);
        // Specificity >= 0.9 allows no false positive: threshold 0.8 finds 3 of 4. Specificity >= 0.75 allows the 0.7 one,
        // and threshold 0.4 then finds all 4.
        Assert.Equal(0.75, LeaderboardScoring.Score(LeaderboardMetric.SensitivityAtSpecificity, Labels, Probabilities, 0.5, 0.9), 9);
        Assert.Equal(1.0, LeaderboardScoring.Score(LeaderboardMetric.SensitivityAtSpecificity, Labels, Probabilities, 0.5, 0.75), 9);
    }

    [Fact]
    public void Daily_limit_counts_only_todays_submissions()
    {
        var now = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        var times = new[] { now.AddHours(-1), now.AddHours(-2), now.AddDays(-1) };
        Assert.Equal(1, LeaderboardScoring.RemainingToday(times, 3, now));
        Assert.Equal(0, LeaderboardScoring.RemainingToday(times, 2, now));
    }
}
