using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class LogLossTests
{
    [Fact]
    public void Log_loss_is_the_mean_cross_entropy()
    {
        // -(ln 0.8 + ln(1 - 0.4)) / 2 = (0.2231 + 0.5108) / 2 = 0.36698; sklearn log_loss([1, 0], [0.8, 0.4]) agrees
        double loss = LogLoss.Compute([1, 0], [0.8f, 0.4f]);

        Assert.Equal(0.3669845875401002, loss, 6);
    }

    [Fact]
    public void Class_weights_scale_each_image_and_the_sum_is_divided_by_the_image_count()
    {
        // (3 · 0.2231 + 0.5 · 0.5108) / 2
        double loss = LogLoss.Compute([1, 0], [0.8f, 0.4f], normalWeight: 0.5, pneumoniaWeight: 3);

        Assert.Equal((3 * -Math.Log(0.8) + 0.5 * -Math.Log(0.6)) / 2, loss, 6);
    }

    [Fact]
    public void A_confident_mistake_is_clipped_to_a_finite_cost()
    {
        // p = 0 for a PNEUMONIA image is clipped to 1e-7: -ln(1e-7) = 16.118
        double loss = LogLoss.Compute([1, 0], [0f, 1f]);

        Assert.Equal(-Math.Log(1e-7), loss, 6);
    }

    [Fact]
    public void No_predictions_give_zero_loss()
    {
        Assert.Equal(0, LogLoss.Compute([], []));
    }

    [Fact]
    public void A_negative_class_weight_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => LogLoss.Compute([1], [0.5f], normalWeight: -1));

        Assert.Contains("weight of NORMAL", error.Message);
    }
}
