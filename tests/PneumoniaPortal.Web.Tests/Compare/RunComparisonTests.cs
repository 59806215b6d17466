using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Compare;

namespace PneumoniaPortal.Web.Tests.Compare;

public class RunComparisonTests
{
    static ComparisonRow Row(RunComparison c, string name) => c.Metrics.Single(m => m.Name == name);

    [Fact]
    public void Each_pair_of_runs_on_the_same_data_set_is_tested_on_their_shared_images_and_said_in_words()
    {
        // Shared: n1, n2, p1, p2. A ranks 3 of the 4 (NORMAL, PNEUMONIA) pairs right (p2 0.4 < n2 0.6), B all 4: the AUC
        // difference is 0.25; the structural components differ by [0, 1/2] on both sides, so Var = 1/8 / 2 + 1/8 / 2 = 1/8.
        // Decisions at 0.5: only B is right on n2, neither run alone on any other image.
        var c = new RunComparison([CompareTestRuns.A(), CompareTestRuns.B(), CompareTestRuns.Elsewhere()]);
        var pair = Assert.Single(c.Pairs);
        Assert.Equal((1, 2), (pair.A.Run.Id, pair.B.Run.Id));
        Assert.Equal(0.25, pair.Comparison.Auc.Difference, 12);
        Assert.Equal(Math.Sqrt(0.125), pair.Comparison.Auc.StandardError, 12);
        Assert.Equal((0, 1), (pair.Comparison.Decisions.OnlyA, pair.Comparison.Decisions.OnlyB));
        Assert.StartsWith($"{RunComparison.Label(c.Runs[1])}'s AUC is 0.250 higher than {RunComparison.Label(c.Runs[0])}'s (95% CI of ", pair.AucSentence);
        Assert.EndsWith("the data do not show a clear difference.", pair.AucSentence);
        Assert.Contains("alone is right on 0 test images", pair.DecisionSentence);

        var three = new RunComparison([CompareTestRuns.A(), CompareTestRuns.B(), CompareTestRuns.B()]);
        Assert.Equal(3, three.Pairs.Count);
        Assert.Empty(new RunComparison([CompareTestRuns.A(), CompareTestRuns.Elsewhere()]).Pairs);
    }

    [Fact]
    public void The_higher_test_accuracy_is_best_and_only_it()
    {
        var c = new RunComparison([CompareTestRuns.A(), CompareTestRuns.B()]);
        var accuracy = Row(c, "Test accuracy");
        Assert.Equal([0.6, 0.75], accuracy.Values.Select(v => v!.Value));
        Assert.Equal([false, true], accuracy.IsBest);
    }

    [Fact]
    public void Lower_is_better_rows_mark_the_smallest_value()
    {
        var c = new RunComparison([CompareTestRuns.A(), CompareTestRuns.B()]);
        Assert.Equal([true, false], Row(c, "Parameters").IsBest);
        Assert.Equal([false, true], Row(c, "Training time").IsBest);
        Assert.Equal(Better.Lower, Row(c, "Log loss").Better);
    }

    [Fact]
    public void Rows_that_are_neither_better_nor_worse_and_rows_where_all_runs_tie_mark_nothing()
    {
        var c = new RunComparison([CompareTestRuns.A(), CompareTestRuns.B()]);
        Assert.Equal([false, false], Row(c, "Epochs trained").IsBest);
        Assert.Equal([false, false], Row(c, "Threshold (chosen on validation)").IsBest);
        // Both runs catch 1 of 2 PNEUMONIA images: a tie is no winner.
        Assert.Equal([false, false], Row(c, "Sensitivity (recall of PNEUMONIA)").IsBest);
    }

    [Fact]
    public void Ties_for_best_are_all_marked_and_missing_values_never_are()
    {
        Assert.Equal([true, false, true], RunComparison.BestOf([0.9, 0.7, 0.9], Better.Higher));
        Assert.Equal([false, true, false], RunComparison.BestOf([null, 0.2, 0.4], Better.Lower));
        Assert.Equal([false, false], RunComparison.BestOf([null, 0.2], Better.Higher));
        Assert.Equal([false, false, true], RunComparison.BestOf([0.9, 0.1, 0.5], Better.Higher, [false, true, true]));
    }

    [Fact]
    public void Images_one_run_gets_right_and_another_wrong_are_disputed_and_those_all_get_wrong_are_listed_apart()
    {
        var c = new RunComparison([CompareTestRuns.A(), CompareTestRuns.B()]);
        Assert.Equal(4, c.SharedImages); // "extra" is only in run A
        var disputed = Assert.Single(c.Disputed);
        Assert.Equal("test/NORMAL/n2.jpeg", disputed.RelativePath);
        Assert.Equal([false, true], disputed.Runs.Select(r => r.Correct));
        Assert.Equal([0.6f, 0.3f], disputed.Runs.Select(r => r.Probability));
        var wrong = Assert.Single(c.AllWrong);
        Assert.Equal("test/PNEUMONIA/p2.jpeg", wrong.RelativePath);
    }

    [Fact]
    public void Verdicts_use_each_runs_own_threshold()
    {
        // At 0.35, run B calls n2 (0.3) NORMAL but p2 (0.45) PNEUMONIA: right on both.
        var b = CompareTestRuns.Run(2, CompareTestRuns.B().Test.Select(t => (t.RelativePath, t.Label, t.Probability)).ToArray(), threshold: 0.35);
        var c = new RunComparison([CompareTestRuns.A(), b]);
        Assert.Equal(["test/NORMAL/n2.jpeg", "test/PNEUMONIA/p2.jpeg"], c.Disputed.Select(d => d.RelativePath));
        Assert.Empty(c.AllWrong);
    }

    [Fact]
    public void A_run_on_another_data_set_is_never_best_and_takes_no_part_in_the_image_comparison()
    {
        var c = new RunComparison([CompareTestRuns.A(), CompareTestRuns.B(), CompareTestRuns.Elsewhere()]);
        Assert.Equal([true, true, false], c.Comparable);
        Assert.False(c.AllComparable);
        Assert.Equal([false, true, false], Row(c, "Test accuracy").IsBest);
        // Size and cost compare across data sets.
        Assert.Equal([false, false, true], Row(c, "Parameters").IsBest);
        Assert.Equal(2, c.ComparableRuns.Count);
        Assert.All(c.Disputed.Concat(c.AllWrong), v => Assert.Equal(2, v.Runs.Count));
        Assert.Single(c.Disputed);
    }

    [Fact]
    public void Settings_diff_lists_the_fields_that_differ_by_section_and_field()
    {
        var c = new RunComparison([CompareTestRuns.A(), CompareTestRuns.B()]);
        var differing = c.DifferingSettings.ToDictionary(s => s.Field, s => s.Values);
        Assert.Equal(["0.001", "0.003"], differing["Training.LearningRate"]);
        Assert.Equal([SettingsDiff.Missing, "32"], differing["Architecture.Blocks[2].Filters"]);
        Assert.DoesNotContain("Training.Epochs", differing.Keys);
        Assert.DoesNotContain("Augmentation.RotationDegrees", differing.Keys);
        Assert.Contains(c.Settings, s => s.Field == "Augmentation.RotationDegrees" && !s.Differs);
    }

    [Fact]
    public void Settings_flatten_to_readable_values()
    {
        var flat = SettingsDiff.Flatten(new RunConfig
        {
            Architecture = CompareTestRuns.TwoBlocks with { DenseUnits = [256, 64] },
            Augmentation = new AugmentationSettings { HorizontalFlip = true },
            Training = new TrainingSettings { Optimizer = OptimizerKind.SGD },
        });
        Assert.Equal("256, 64", flat["Architecture.DenseUnits"]);
        Assert.Equal("yes", flat["Augmentation.HorizontalFlip"]);
        Assert.Equal("SGD", flat["Training.Optimizer"]);
        Assert.Equal("16", flat["Architecture.Blocks[1].Filters"]);
        Assert.Equal("sensitivity:0.95", flat["Training.Threshold"]);
    }

    [Fact]
    public void Compare_ids_in_the_address_are_read_in_order_without_repeats_or_junk()
    {
        Assert.Equal([3, 1, 7], RunComparisonService.ParseIds("3, 1,7,3,x,-2,0"));
        Assert.Empty(RunComparisonService.ParseIds(null));
    }
}
