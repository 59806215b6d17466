using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class ThresholdSelectionTests
{
    // Sorted by score: 0.9 P, 0.7 P, 0.6 N, 0.4 P, 0.3 N, 0.1 N. At each threshold (predict PNEUMONIA when p >= t):
    //   t    sens  spec  Youden J  precision  F1
    //   0.9  1/3   1     1/3       1          2/(2+0+2) = 0.5
    //   0.7  2/3   1     2/3       1          4/(4+0+1) = 0.8
    //   0.6  2/3   2/3   1/3       2/3        4/(4+1+1) = 0.667   (0.5 gives the same counts as 0.6)
    //   0.4  1     2/3   2/3       3/4        6/(6+1+0) = 0.857
    //   0.3  1     1/3   1/3       3/5        6/(6+2+0) = 0.75
    //   0.1  1     0     0         1/2        6/(6+3+0) = 0.667
    private static readonly int[] Labels = [0, 0, 0, 1, 1, 1];
    private static readonly float[] Probabilities = [0.1f, 0.3f, 0.6f, 0.4f, 0.7f, 0.9f];

    [Fact]
    public void Youden_breaks_a_tie_in_favour_of_the_threshold_closest_to_one_half()
    {
        // J = 2/3 at both 0.7 and 0.4; 0.4 is nearer 0.5.
        var choice = ThresholdSelection.Choose(Labels, Probabilities, ThresholdRule.Youden);

        Assert.Equal(0.4f, (float)choice.Threshold);
        Assert.Equal(ThresholdRule.Youden, choice.Rule);
        Assert.Equal("Youden's J maximised on the validation split (n=6): sensitivity 1.00, specificity 0.67 at threshold 0.4.", choice.How);
    }

    [Fact]
    public void Max_F1_picks_the_threshold_with_the_best_F1_of_pneumonia()
    {
        var choice = ThresholdSelection.Choose(Labels, Probabilities, ThresholdRule.MaxF1);

        Assert.Equal(0.4f, (float)choice.Threshold);
        Assert.StartsWith("F1 of PNEUMONIA maximised on the validation split (n=6): F1 0.86, precision 0.75, sensitivity 1.00", choice.How);
    }

    [Fact]
    public void Min_sensitivity_picks_the_most_specific_threshold_that_reaches_the_target()
    {
        // Sensitivity >= 0.95 only at 0.4, 0.3 and 0.1; 0.4 has the highest specificity.
        var strict = ThresholdSelection.Choose(Labels, Probabilities, ThresholdRule.MinSensitivity, targetSensitivity: 0.95);
        // Sensitivity >= 0.6 already at 0.7, with specificity 1.
        var lenient = ThresholdSelection.Choose(Labels, Probabilities, ThresholdRule.MinSensitivity, targetSensitivity: 0.6);

        Assert.Equal(0.4f, (float)strict.Threshold);
        Assert.Equal(0.7f, (float)lenient.Threshold);
        Assert.StartsWith("Highest threshold with sensitivity at least 0.95 on the validation split (n=6): sensitivity 1.00, specificity 0.67", strict.How);
    }

    [Fact]
    public void At_a_target_sensitivity_a_perfectly_separated_range_gives_its_highest_threshold()
    {
        // Every threshold in (0.2, 0.9] separates these perfectly; the operating point is the top of that range, not 0.5.
        var choice = ThresholdSelection.Choose([0, 0, 1, 1], [0.1f, 0.2f, 0.9f, 0.95f], ThresholdRule.MinSensitivity, targetSensitivity: 0.95);

        Assert.Equal(0.9f, (float)choice.Threshold);
    }

    [Fact]
    public void Fixed_returns_the_threshold_it_was_given_and_reports_how_it_does()
    {
        var choice = ThresholdSelection.Choose(Labels, Probabilities, ThresholdRule.Fixed, fixedThreshold: 0.65);

        Assert.Equal(0.65, choice.Threshold);
        Assert.Equal("Fixed threshold 0.65 set by hand; on the validation split (n=6) it gives sensitivity 0.67, specificity 1.00.", choice.How);
    }

    [Fact]
    public void The_default_one_half_is_kept_when_nothing_beats_it()
    {
        // Every threshold in (0.3, 0.7] separates the classes perfectly; 0.5 is one of them.
        var choice = ThresholdSelection.Choose([0, 1], [0.3f, 0.7f], ThresholdRule.Youden);

        Assert.Equal(0.5, choice.Threshold);
    }

    [Fact]
    public void The_split_name_appears_in_the_explanation()
    {
        var choice = ThresholdSelection.Choose(Labels, Probabilities, ThresholdRule.Youden, splitName: "val-fold-2");

        Assert.Contains("on the val-fold-2 split (n=6)", choice.How);
    }

    [Fact]
    public void A_split_with_only_one_class_falls_back_to_one_half_and_says_why()
    {
        var choice = ThresholdSelection.Choose([1, 1, 1], [0.2f, 0.6f, 0.9f], ThresholdRule.MaxF1);

        Assert.Equal(0.5, choice.Threshold);
        Assert.Equal("No threshold could be tuned because the validation split (n=3) has only PNEUMONIA images; using 0.5.", choice.How);
    }

    [Fact]
    public void An_empty_split_falls_back_to_one_half_and_says_why()
    {
        var choice = ThresholdSelection.Choose([], [], ThresholdRule.Youden);

        Assert.Equal(0.5, choice.Threshold);
        Assert.Equal("No threshold could be tuned because the validation split is empty; using 0.5.", choice.How);
    }

    [Fact]
    public void A_target_sensitivity_outside_zero_to_one_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(
            () => ThresholdSelection.Choose(Labels, Probabilities, ThresholdRule.MinSensitivity, targetSensitivity: 95));

        Assert.Contains("Target sensitivity must be between 0 and 1; you entered 95", error.Message);
    }
}
