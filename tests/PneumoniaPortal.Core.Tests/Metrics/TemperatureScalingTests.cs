using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class TemperatureScalingTests
{
    /// <summary>
    /// A calibrated model, made without randomness: in each group of 20 images with true probability q, exactly 20q are
    /// PNEUMONIA. Returns the labels and q per image.
    /// </summary>
    static (int[] Labels, double[] Truth) Calibrated()
    {
        var labels = new List<int>();
        var truth = new List<double>();
        foreach (var q in new[] { 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95 })
            for (int k = 0; k < 20; k++)
            {
                labels.Add(k < (int)Math.Round(q * 20) ? 1 : 0);
                truth.Add(q);
            }
        return (labels.ToArray(), truth.ToArray());
    }

    static float Distort(double q, double factor) => (float)(1 / (1 + Math.Exp(-factor * Math.Log(q / (1 - q)))));

    [Theory]
    [InlineData(3.0)] // over-confident: logits three times too large
    [InlineData(0.5)] // under-confident
    public void The_fitted_temperature_undoes_a_known_distortion_and_lowers_the_calibration_error(double factor)
    {
        var (labels, truth) = Calibrated();
        var distorted = truth.Select(q => Distort(q, factor)).ToArray();
        var fit = TemperatureScaling.Fit(labels, distorted);
        // Dividing the logit by T undoes multiplying it by the factor; the groups' rounding moves the optimum a little.
        Assert.InRange(fit.Temperature, factor * 0.9, factor * 1.1);
        Assert.True(fit.LogLossAfter < fit.LogLossBefore);
        var after = fit.Apply(distorted);
        Assert.True(Calibration.From(labels, after).ExpectedCalibrationError < Calibration.From(labels, distorted).ExpectedCalibrationError * 0.5);
        // The ranking is kept, so the AUC is too.
        Assert.Equal(RocCurve.From(labels, distorted).Auc, RocCurve.From(labels, after).Auc, 12);
    }

    [Fact]
    public void A_calibrated_model_keeps_a_temperature_near_one()
    {
        var (labels, truth) = Calibrated();
        var fit = TemperatureScaling.Fit(labels, truth.Select(q => (float)q).ToArray());
        Assert.InRange(fit.Temperature, 0.9, 1.1);
        Assert.InRange(fit.LogLossBefore - fit.LogLossAfter, 0, 1e-3);
    }
}
