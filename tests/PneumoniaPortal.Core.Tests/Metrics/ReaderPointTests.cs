using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class ReaderPointTests
{
    [Fact]
    public void A_readers_point_is_their_sensitivity_and_false_positive_rate_against_the_reference()
    {
        // 4 PNEUMONIA (3 called), 6 NORMAL (2 called PNEUMONIA).
        int[] reference = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
        int[] answers = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0];
        var point = ReaderPoint.Of(reference, answers);
        Assert.Equal(new ConfusionMatrix(4, 2, 1, 3), point.Matrix);
        Assert.Equal(0.75, point.Sensitivity, 12);
        Assert.Equal(4 / 6.0, point.Specificity, 12);
        Assert.Equal(2 / 6.0, point.FalsePositiveRate, 12);
        Assert.Equal(10, point.Items);
        Assert.True(point.Defined);
    }

    [Fact]
    public void A_reader_who_saw_one_class_only_has_no_point_and_the_average_reader_leaves_them_out()
    {
        var onlyPneumonia = ReaderPoint.Of([1, 1], [1, 0]);
        Assert.False(onlyPneumonia.Defined);
        Assert.True(double.IsNaN(onlyPneumonia.Specificity));
        var a = ReaderPoint.Of([1, 1, 0, 0], [1, 1, 0, 0]);
        var b = ReaderPoint.Of([1, 1, 0, 0], [1, 0, 1, 0]);
        var average = ReaderPoint.Average([a, b, onlyPneumonia])!.Value;
        Assert.Equal((0.75, 0.75, 2), average);
        Assert.Null(ReaderPoint.Average([onlyPneumonia]));
        Assert.Throws<ArgumentException>(() => ReaderPoint.Of([1, 0], [1]));
        Assert.Throws<ArgumentException>(() => ReaderPoint.Of([1, 2], [1, 0]));
    }

    [Fact]
    public void The_models_sensitivity_at_a_readers_false_positive_rate_is_read_off_its_roc_curve()
    {
        // Scores 0.9 (P), 0.8 (N), 0.7 (P), 0.6 (P), 0.4 (N), 0.2 (N): ROC (0,0) (0,1/3) (1/3,1/3) (1/3,2/3) (1/3,1) (2/3,1) (1,1).
        var roc = RocCurve.From([1, 0, 1, 1, 0, 0], [0.9f, 0.8f, 0.7f, 0.6f, 0.4f, 0.2f]);
        Assert.Equal(1 / 3.0, ReaderPoint.SensitivityAt(roc, 0), 12);
        // Where the curve rises straight up the best sensitivity at that rate counts.
        Assert.Equal(1.0, ReaderPoint.SensitivityAt(roc, 1 / 3.0), 12);
        // Between (0, 1/3) and (1/3, 1/3) the curve is flat.
        Assert.Equal(1 / 3.0, ReaderPoint.SensitivityAt(roc, 1 / 6.0), 12);
        Assert.Equal(1.0, ReaderPoint.SensitivityAt(roc, 0.5), 12);

        // A reader with sensitivity 2/3 at false-positive rate 1/6 is above the curve by 1/3.
        var reader = ReaderPoint.Of([1, 1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 0, 1, 0, 0, 0, 0, 0]);
        Assert.Equal(1 / 6.0, reader.FalsePositiveRate, 12);
        Assert.Equal(1 / 3.0, reader.Sensitivity - reader.ModelSensitivityAt(roc), 12);
    }
}
