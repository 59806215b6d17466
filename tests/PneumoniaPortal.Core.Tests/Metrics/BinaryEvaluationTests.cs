using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class BinaryEvaluationTests
{
    [Fact]
    public void Evaluation_gathers_the_report_figures_at_the_threshold()
    {
        // At 0.5: 0.1 and 0.4 are NORMAL (TN, TN), 0.35 is a missed PNEUMONIA (FN), 0.8 is caught (TP).
        var evaluation = BinaryEvaluation.Compute([0, 0, 1, 1], [0.1f, 0.4f, 0.35f, 0.8f]);

        Assert.Equal(new ConfusionMatrix(TrueNegative: 2, FalsePositive: 0, FalseNegative: 1, TruePositive: 1), evaluation.ConfusionMatrix);
        Assert.Equal(0.75, evaluation.Accuracy, 12);
        Assert.Equal(0.75, evaluation.Auc, 12);
        Assert.Equal(0.5, evaluation.Sensitivity, 12);
        Assert.Equal(1, evaluation.Specificity, 12);
        Assert.Equal(1, evaluation.Precision, 12);
        Assert.Equal(2.0 / 3, evaluation.F1, 12);
        Assert.Equal(0.5, evaluation.Threshold);
        Assert.True(evaluation.AucDefined);
        // -(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8) / 4
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.35) + Math.Log(0.8)) / 4, evaluation.LogLoss, 6);
    }

    [Fact]
    public void Evaluation_uses_the_threshold_it_is_given()
    {
        var evaluation = BinaryEvaluation.Compute([0, 0, 1, 1], [0.1f, 0.4f, 0.35f, 0.8f], threshold: 0.3);

        Assert.Equal(new ConfusionMatrix(1, 1, 0, 2), evaluation.ConfusionMatrix);
        Assert.Equal(0.3, evaluation.Threshold);
    }

    [Fact]
    public void Evaluation_of_a_single_class_marks_auc_undefined_and_has_no_NaN()
    {
        var evaluation = BinaryEvaluation.Compute([1, 1], [0.3f, 0.9f]);

        Assert.False(evaluation.AucDefined);
        Assert.Equal(0, evaluation.Auc);
        Assert.False(double.IsNaN(evaluation.Specificity) || double.IsNaN(evaluation.Precision) || double.IsNaN(evaluation.F1));
    }
}
