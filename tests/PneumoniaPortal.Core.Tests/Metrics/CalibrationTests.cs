using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class CalibrationTests
{
    // Ten bins of width 0.1: 0.05 -> bin 0; 0.15 and 0.12 -> bin 1; 0.85 -> bin 8; 0.95 -> bin 9.
    private static readonly int[] Labels = [0, 0, 1, 1, 1];
    private static readonly float[] Probabilities = [0.05f, 0.15f, 0.12f, 0.85f, 0.95f];

    [Fact]
    public void Bins_hold_the_mean_prediction_and_the_share_of_pneumonia_like_sklearn_calibration_curve()
    {
        // sklearn calibration_curve(n_bins=10): prob_true [0, 0.5, 1, 1], prob_pred [0.05, 0.135, 0.85, 0.95]
        var calibration = Calibration.From(Labels, Probabilities);

        Assert.Equal(4, calibration.Bins.Count);
        Assert.Equal([0, 0.5, 1, 1], calibration.Bins.Select(b => b.FractionPositive));
        Assert.Equal(new[] { 0.05, 0.135, 0.85, 0.95 }, calibration.Bins.Select(b => Math.Round(b.MeanPredicted, 6)));
        Assert.Equal([1, 2, 1, 1], calibration.Bins.Select(b => b.Count));
        Assert.Equal(0.1, calibration.Bins[1].Lower, 12);
        Assert.Equal(0.2, calibration.Bins[1].Upper, 12);
    }

    [Fact]
    public void Brier_score_is_the_mean_squared_gap_between_probability_and_label()
    {
        // (0.05² + 0.15² + 0.88² + 0.15² + 0.05²) / 5 = 0.8244 / 5 = 0.16488, as sklearn's brier_score_loss
        var calibration = Calibration.From(Labels, Probabilities);

        Assert.Equal(0.16488, calibration.BrierScore, 6);
    }

    [Fact]
    public void Expected_calibration_error_weights_each_bin_gap_by_its_count()
    {
        // (1·|0 − 0.05| + 2·|0.5 − 0.135| + 1·|1 − 0.85| + 1·|1 − 0.95|) / 5 = 0.98 / 5 = 0.196
        var calibration = Calibration.From(Labels, Probabilities);

        Assert.Equal(0.196, calibration.ExpectedCalibrationError, 6);
    }

    [Fact]
    public void A_probability_of_exactly_one_lands_in_the_last_bin()
    {
        var calibration = Calibration.From([1, 0], [1f, 0f], bins: 4);

        Assert.Equal(2, calibration.Bins.Count);
        Assert.Equal(0.75, calibration.Bins[1].Lower);
        Assert.Equal(1, calibration.Bins[1].MeanPredicted);
        Assert.Equal(0, calibration.BrierScore);
        Assert.Equal(0, calibration.ExpectedCalibrationError);
    }

    [Fact]
    public void No_predictions_give_no_bins_and_zero_scores()
    {
        var calibration = Calibration.From([], []);

        Assert.Empty(calibration.Bins);
        Assert.Equal(0, calibration.BrierScore);
        Assert.Equal(0, calibration.ExpectedCalibrationError);
    }

    [Fact]
    public void Fewer_than_one_bin_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Calibration.From(Labels, Probabilities, bins: 0));

        Assert.Contains("at least 1 bin", error.Message);
    }
}
