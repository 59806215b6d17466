using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class InputValidationTests
{
    public static TheoryData<string, Action<int[], float[]>> EveryMetric => new()
    {
        { "confusion matrix", (l, p) => ConfusionMatrix.From(l, p, 0.5) },
        { "ROC curve", (l, p) => RocCurve.From(l, p) },
        { "precision-recall curve", (l, p) => PrecisionRecallCurve.From(l, p) },
        { "threshold selection", (l, p) => ThresholdSelection.Choose(l, p, ThresholdRule.Youden) },
        { "calibration", (l, p) => Calibration.From(l, p) },
        { "evaluation", (l, p) => BinaryEvaluation.Compute(l, p) },
        { "log loss", (l, p) => LogLoss.Compute(l, p) },
    };

    [Theory]
    [MemberData(nameof(EveryMetric))]
    public void Labels_and_probabilities_of_different_lengths_are_rejected(string metric, Action<int[], float[]> compute)
    {
        var error = Assert.Throws<ArgumentException>(() => compute([0, 1, 1], [0.2f, 0.8f]));

        Assert.True(error.Message.Contains("There are 3 labels but 2 probabilities"), metric);
    }

    [Theory]
    [MemberData(nameof(EveryMetric))]
    public void A_label_other_than_zero_or_one_is_rejected(string metric, Action<int[], float[]> compute)
    {
        var error = Assert.Throws<ArgumentException>(() => compute([0, 2], [0.2f, 0.8f]));

        Assert.True(error.Message.Contains("Labels must be 0 (NORMAL) or 1 (PNEUMONIA); label 1 is 2."), metric);
    }

    [Theory]
    [MemberData(nameof(EveryMetric))]
    public void A_NaN_probability_is_rejected(string metric, Action<int[], float[]> compute)
    {
        var error = Assert.Throws<ArgumentException>(() => compute([0, 1], [float.NaN, 0.8f]));

        Assert.True(error.Message.Contains("probability 0 is NaN"), metric);
    }

    [Theory]
    [MemberData(nameof(EveryMetric))]
    public void A_probability_outside_zero_to_one_is_rejected(string metric, Action<int[], float[]> compute)
    {
        var error = Assert.Throws<ArgumentException>(() => compute([0, 1], [0.2f, 1.5f]));

        Assert.True(error.Message.Contains("Probabilities must be between 0 and 1; probability 1 is 1.5."), metric);
    }

    [Fact]
    public void Missing_labels_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => RocCurve.From(null!, [0.5f]));
    }
}
