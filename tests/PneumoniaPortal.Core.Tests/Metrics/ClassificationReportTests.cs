using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class ClassificationReportTests
{
    // TN=4 FP=2 FN=1 TP=3, the matrix of sklearn's confusion_matrix([0]*6+[1]*4, [0,0,0,0,1,1, 0,1,1,1]).
    private static readonly ConfusionMatrix Matrix = new(TrueNegative: 4, FalsePositive: 2, FalseNegative: 1, TruePositive: 3);

    [Fact]
    public void Per_class_rows_read_the_matrix_from_each_class_side()
    {
        var report = ClassificationReport.From(Matrix);

        // NORMAL:    precision 4/5 = 0.8, recall 4/6 = 0.6667, F1 2*4/(2*4+1+2) = 8/11 = 0.7273, support 6
        // PNEUMONIA: precision 3/5 = 0.6, recall 3/4 = 0.75,  F1 2*3/(2*3+2+1) = 6/9  = 0.6667, support 4
        AssertRow(report.Classes[0], "NORMAL", 0.8, 4.0 / 6, 8.0 / 11, 6);
        AssertRow(report.Classes[1], "PNEUMONIA", 0.6, 0.75, 6.0 / 9, 4);
        Assert.Equal(2, report.Classes.Count);
    }

    [Fact]
    public void Macro_average_is_the_plain_mean_and_weighted_average_weights_by_support()
    {
        var report = ClassificationReport.From(Matrix);

        // macro:    P (0.8+0.6)/2 = 0.7,          R (0.6667+0.75)/2 = 0.7083,  F1 (0.7273+0.6667)/2 = 0.6970
        // weighted: P (6*0.8+4*0.6)/10 = 0.72,     R (6*0.6667+4*0.75)/10 = 0.7, F1 (6*0.7273+4*0.6667)/10 = 0.7030
        AssertRow(report.MacroAverage, "macro avg", 0.7, (4.0 / 6 + 0.75) / 2, (8.0 / 11 + 6.0 / 9) / 2, 10);
        AssertRow(report.WeightedAverage, "weighted avg", 0.72, 0.7, (6 * 8.0 / 11 + 4 * 6.0 / 9) / 10, 10);
        Assert.Equal(0.7, report.Accuracy, 12);
        Assert.Equal(10, report.Support);
    }

    [Fact]
    public void Text_matches_what_sklearn_prints_character_for_character()
    {
        // sklearn 1.2.1: classification_report(y_true, y_pred, target_names=["NORMAL", "PNEUMONIA"])
        const string sklearn =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "      NORMAL       0.80      0.67      0.73         6\n" +
            "   PNEUMONIA       0.60      0.75      0.67         4\n" +
            "\n" +
            "    accuracy                           0.70        10\n" +
            "   macro avg       0.70      0.71      0.70        10\n" +
            "weighted avg       0.72      0.70      0.70        10\n";

        Assert.Equal(sklearn, ClassificationReport.From(Matrix).ToText());
    }

    [Fact]
    public void Text_can_show_more_digits()
    {
        string text = ClassificationReport.From(Matrix).ToText(4);

        Assert.Contains("      NORMAL     0.8000    0.6667    0.7273         6\n", text);
    }

    [Fact]
    public void An_empty_matrix_gives_zeros_not_NaN()
    {
        var report = ClassificationReport.From(new ConfusionMatrix(0, 0, 0, 0));

        Assert.All(report.Classes.Append(report.MacroAverage).Append(report.WeightedAverage), row =>
        {
            Assert.Equal(0, row.Precision);
            Assert.Equal(0, row.Recall);
            Assert.Equal(0, row.F1);
        });
        Assert.DoesNotContain("NaN", report.ToText());
    }

    private static void AssertRow(ClassReportRow actual, string className, double precision, double recall, double f1, int support)
    {
        Assert.Equal(className, actual.ClassName);
        Assert.Equal(precision, actual.Precision, 12);
        Assert.Equal(recall, actual.Recall, 12);
        Assert.Equal(f1, actual.F1, 12);
        Assert.Equal(support, actual.Support);
    }
}
