using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class SettingEffectsTests
{
    static readonly double[] Drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    static readonly double[] Drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    static (IReadOnlyDictionary<string, string> Settings, double Figure) Run(double figure, params (string Name, string Value)[] settings) =>
        (settings.ToDictionary(s => s.Name, s => s.Value), figure);

    [Fact]
    public void A_two_valued_setting_is_one_welch_contrast_that_matches_Rs_t_test()
    {
        // R's sleep data as 20 runs: group 2 has the setting on. t.test(extra ~ group, data = sleep): diff 1.58,
        // 95% CI of group 2 - group 1 -0.2054832 to 3.3654832, p = 0.07939. The seed varies and a constant setting does not.
        var runs = Drug1.Select((v, i) => Run(v, ("Training.PerImageStandardization", "no"), ("Training.LearningRate", "0.001"), ("Training.Seed", $"{i}")))
            .Concat(Drug2.Select((v, i) => Run(v, ("Training.PerImageStandardization", "yes"), ("Training.LearningRate", "0.001"), ("Training.Seed", $"{i + 10}"))))
            .ToList();
        var effects = SettingEffects.Estimate(runs, new HashSet<string> { "Training.Seed" });

        var effect = Assert.Single(effects);
        Assert.Equal("Training.PerImageStandardization", effect.Setting);
        // Equally common: the later value in order is the one contrasted.
        Assert.Equal("yes", effect.Value);
        Assert.Equal(1.58, effect.Difference, 10);
        Assert.Equal((10, 10), (effect.CountWith, effect.CountWithout));
        Assert.Equal(-0.2054832, effect.Comparison.Lower, 6);
        Assert.Equal(3.3654832, effect.Comparison.Upper, 6);
        Assert.Equal(0.07939, effect.Comparison.P, 5);
        Assert.Equal("runs with Training.PerImageStandardization = yes scored 1.580 higher test AUC on average than the others (n = 10 vs 10; "
                     + "95% CI -0.205 to 3.365; chance alone could explain it)", effect.Sentence("test AUC"));
    }

    [Fact]
    public void Each_value_of_a_many_valued_setting_is_set_against_the_rest_when_both_sides_have_enough_runs()
    {
        var runs = new[]
        {
            Run(0.90, ("Training.Optimizer", "Adam")), Run(0.91, ("Training.Optimizer", "Adam")), Run(0.92, ("Training.Optimizer", "Adam")),
            Run(0.80, ("Training.Optimizer", "SGD")), Run(0.82, ("Training.Optimizer", "SGD")), Run(0.81, ("Training.Optimizer", "SGD")),
            Run(0.85, ("Training.Optimizer", "AdamW")),
        };
        var effects = SettingEffects.Estimate(runs);
        Assert.Equal(["Adam", "SGD"], effects.Select(e => e.Value).Order());
        var adam = effects.Single(e => e.Value == "Adam");
        Assert.Equal((3, 4), (adam.CountWith, adam.CountWithout));
        Assert.Equal(0.91 - (0.80 + 0.82 + 0.81 + 0.85) / 4, adam.Difference, 10);
        var sgd = effects.Single(e => e.Value == "SGD");
        Assert.True(sgd.Difference < 0);
        Assert.Contains("lower test AUC", sgd.Sentence("test AUC"));
        // Both are clear; the one with the smaller p-value comes first.
        Assert.True(effects[0].Comparison.P <= effects[1].Comparison.P);
    }

    [Fact]
    public void The_less_common_value_is_contrasted_a_missing_setting_reads_as_a_dash_and_unusable_runs_are_left_out()
    {
        var runs = new[]
        {
            Run(0.90, ("Augmentation.Enabled", "yes")), Run(0.92, ("Augmentation.Enabled", "yes")), Run(0.91, ("Augmentation.Enabled", "yes")),
            Run(0.80), Run(0.84),
            Run(double.NaN, ("Augmentation.Enabled", "no")),
        };
        var effect = Assert.Single(SettingEffects.Estimate(runs));
        Assert.Equal(("Augmentation.Enabled", "—"), (effect.Setting, effect.Value));
        Assert.Equal((2, 3), (effect.CountWith, effect.CountWithout));
        Assert.Equal(0.82 - 0.91, effect.Difference, 10);
    }

    [Fact]
    public void A_side_with_too_few_runs_gives_no_effect_and_one_without_spread_says_so()
    {
        Assert.Empty(SettingEffects.Estimate([Run(0.9, ("A", "x")), Run(0.8, ("A", "y")), Run(0.7, ("A", "y"))]));
        var flat = Assert.Single(SettingEffects.Estimate([Run(0.9, ("A", "x")), Run(0.9, ("A", "x")), Run(0.8, ("A", "y")), Run(0.8, ("A", "y"))], minimumPerSide: 2));
        Assert.False(flat.Comparison.Defined);
        Assert.Contains("too few runs or no spread", flat.Sentence("test AUC"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SettingEffects.Estimate([], minimumPerSide: 0));
    }
}
