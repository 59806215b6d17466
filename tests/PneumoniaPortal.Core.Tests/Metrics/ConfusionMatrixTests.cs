using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class ConfusionMatrixTests
{
    [Fact]
    public void Counts_each_decision_in_its_cell()
    {
        // true:      N    N    N    N    N    N    P    P    P    P
        // predicted: N    N    N    N    P    P    N    P    P    P   (p >= 0.5)
        int[] labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
        float[] probabilities = [0.1f, 0.2f, 0.3f, 0.49f, 0.5f, 0.9f, 0.2f, 0.6f, 0.7f, 1f];

        var m = ConfusionMatrix.From(labels, probabilities, 0.5);

        Assert.Equal(new ConfusionMatrix(TrueNegative: 4, FalsePositive: 2, FalseNegative: 1, TruePositive: 3), m);
        Assert.Equal(10, m.Total);
    }

    [Fact]
    public void A_probability_equal_to_the_threshold_is_predicted_pneumonia()
    {
        var m = ConfusionMatrix.From([0, 1], [0.5f, 0.5f], 0.5);

        Assert.Equal(1, m.FalsePositive);
        Assert.Equal(1, m.TruePositive);
    }

    [Fact]
    public void Rates_match_hand_computed_values()
    {
        // TN=4 FP=2 FN=1 TP=3
        var m = new ConfusionMatrix(4, 2, 1, 3);

        Assert.Equal(0.7, m.Accuracy, 12);                     // 7/10
        Assert.Equal(0.75, m.Sensitivity, 12);                 // 3/4
        Assert.Equal(4.0 / 6, m.Specificity, 12);              // 4/6
        Assert.Equal(0.6, m.Precision, 12);                    // 3/5
        Assert.Equal(0.8, m.NegativePredictiveValue, 12);      // 4/5
        Assert.Equal(2 * 0.6 * 0.75 / (0.6 + 0.75), m.F1, 12); // harmonic mean = 6/9
        Assert.Equal((0.75 + 4.0 / 6) / 2, m.BalancedAccuracy, 12);
    }

    [Fact]
    public void To_array_lays_out_true_class_rows_and_predicted_class_columns()
    {
        var m = new ConfusionMatrix(TrueNegative: 4, FalsePositive: 2, FalseNegative: 1, TruePositive: 3);

        var cells = m.ToArray();

        Assert.Equal([4, 2], cells[0]);
        Assert.Equal([1, 3], cells[1]);
    }

    [Fact]
    public void A_ratio_with_nothing_to_divide_by_is_zero_not_NaN()
    {
        var empty = new ConfusionMatrix(0, 0, 0, 0);
        var onlyNormal = new ConfusionMatrix(5, 0, 0, 0);

        Assert.Equal(0, empty.Accuracy);
        Assert.Equal(0, empty.F1);
        Assert.Equal(0, empty.BalancedAccuracy);
        Assert.Equal(0, onlyNormal.Sensitivity);
        Assert.Equal(0, onlyNormal.Precision);
        Assert.Equal(1, onlyNormal.Specificity);
        Assert.Equal(1, onlyNormal.NegativePredictiveValue);
    }

    [Fact]
    public void Negative_counts_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConfusionMatrix(1, -2, 0, 0));

        Assert.Contains("FalsePositive", error.Message);
        Assert.Contains("cannot be negative", error.Message);
    }

    [Fact]
    public void A_NaN_threshold_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfusionMatrix.From([0, 1], [0.2f, 0.8f], double.NaN));

        Assert.Contains("threshold", error.Message);
    }
}
