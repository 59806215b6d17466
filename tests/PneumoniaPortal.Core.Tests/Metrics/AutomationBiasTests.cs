using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class AutomationBiasTests
{
    [Fact]
    public void Switches_to_the_models_call_are_counted_apart_for_a_right_and_a_wrong_model()
    {
        //              image:  0  1  2  3  4  5  6  7
        int[] reference = [1, 1, 0, 0, 1, 0, 1, 0];
        int[] model = [1, 1, 1, 1, 0, 0, 1, 0];
        int[] blind = [0, 0, 0, 0, 1, 1, 1, 0];
        int[] helped = [1, 0, 1, 0, 0, 0, 1, 0];
        // Disagreed with a right model on 0, 1 (PNEUMONIA called NORMAL) and 5: switched on 0 and 5.
        // Disagreed with a wrong model on 2, 3 and 4 (the reader was right): switched on 2 and 4.
        var bias = AutomationBias.Of(reference, model, blind, helped);
        Assert.Equal(new AutomationBias(8, 3, 2, 3, 2, 5, 5), bias);
        Assert.Equal(2 / 3.0, bias.SwitchRateModelRight!.Value, 12);
        Assert.Equal(2 / 3.0, bias.SwitchRateModelWrong!.Value, 12);
        Assert.Equal(5 / 8.0, bias.AccuracyBlind!.Value, 12);
        Assert.Equal(5 / 8.0, bias.AccuracyHelped!.Value, 12);
    }

    [Fact]
    public void A_reader_who_always_agreed_with_the_model_has_no_switch_rates_and_the_class_adds_its_readers_up()
    {
        var agreeing = AutomationBias.Of([1, 0], [1, 1], [1, 1], [1, 1]);
        Assert.Null(agreeing.SwitchRateModelRight);
        Assert.Null(agreeing.SwitchRateModelWrong);
        Assert.Equal(0.5, agreeing.AccuracyBlind);
        var switching = AutomationBias.Of([0], [1], [0], [1]);
        Assert.Equal(1.0, switching.SwitchRateModelWrong);
        var both = AutomationBias.Sum([agreeing, switching]);
        Assert.Equal(new AutomationBias(3, 0, 0, 1, 1, 2, 1), both);
        Assert.Equal(new AutomationBias(0, 0, 0, 0, 0, 0, 0), AutomationBias.Sum([]));
        Assert.Throws<ArgumentException>(() => AutomationBias.Of([1], [1], [1], []));
        Assert.Throws<ArgumentException>(() => AutomationBias.Of([1], [3], [1], [1]));
    }
}
