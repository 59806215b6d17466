using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Core.Tests.Settings;

public class RunEstimateTests
{
    static readonly ComputeSpeed Speed = new(1e-11, 5e-9, 1.0, "cpu", DateTimeOffset.UnixEpoch);

    [Fact]
    public void An_estimate_counts_the_images_the_trainer_will_see_each_epoch()
    {
        // The Kaggle set without val: 5,216 train images, 10% carved for validation; 624 test images.
        var config = RunPresets.Get(ArchitecturePresets.CpuDefault);
        var e = RunEstimate.For(config, 5216, 624, Speed);
        Assert.Equal((4694, 522), (e.TrainImages, e.ValidationImages));
        var perImage = Speed.RawTrainingSeconds(e.Cost);
        Assert.Equal(4694 * perImage + 522 * Speed.RawEvaluationSeconds(e.Cost), e.EpochSeconds, 6);
        // The final evaluation: the kept checkpoints over validation and test, twice with test-time augmentation.
        var passes = config.Training.EnsembleTopCheckpoints * (config.Training.TestTimeAugmentation ? 2 : 1);
        Assert.Equal(12 * e.EpochSeconds + passes * (522 + 624) * Speed.RawEvaluationSeconds(e.Cost), e.TotalSeconds, 6);

        // A cap on training images shrinks both, as the splitter does (seen: 600 of 5,216 gave 540 train and 60 val).
        var capped = RunEstimate.For(config with { Training = config.Training with { MaxTrainImages = 600 } }, 5216, 624, Speed);
        Assert.Equal((540, 60), (capped.TrainImages, capped.ValidationImages));
    }

    [Fact]
    public void The_correction_moves_a_third_of_the_way_to_what_a_long_epoch_took_and_scales_the_estimate()
    {
        var learned = Speed.Learn(predictedRawSeconds: 200, actualSeconds: 500, DateTimeOffset.UnixEpoch.AddDays(1));
        Assert.Equal(1.5, learned.Correction, 6);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), learned.MeasuredAt);
        var config = RunPresets.Get(ArchitecturePresets.CpuDefault);
        Assert.Equal(1.5 * RunEstimate.For(config, 1000, 100, Speed).TotalSeconds, RunEstimate.For(config, 1000, 100, learned).TotalSeconds, 6);
        // A tiny network's epochs are mostly fixed costs: a hundred of them ten times slower than predicted hardly move it.
        var tiny = Enumerable.Range(0, 100).Aggregate(Speed, (s, _) => s.Learn(0.2, 2, DateTimeOffset.UnixEpoch));
        Assert.InRange(tiny.Correction, 1.0, 1.2);
        Assert.Equal(ComputeSpeed.MaxCorrection, Enumerable.Range(0, 100).Aggregate(Speed, (s, _) => s.Learn(300, 30_000, DateTimeOffset.UnixEpoch)).Correction, 6);
        // Nonsense (a zero prediction, an epoch of no time) teaches nothing.
        Assert.Same(Speed, Speed.Learn(0, 5, DateTimeOffset.UnixEpoch));
        Assert.Same(Speed, Speed.Learn(5, 0, DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData(20, "under a minute")]
    [InlineData(9 * 60 + 10, "about 9 min")]
    [InlineData(3 * 3600, "about 3 h")]
    [InlineData(5 * 86400, "about 5 days")]
    [InlineData(1e12, "more than ten years")]
    public void Durations_are_said_the_way_a_person_would(double seconds, string said) =>
        Assert.Equal(said, RunEstimate.Describe(seconds));

    [Fact]
    public void The_issues_absurd_run_is_priced_in_years_and_petabytes_and_the_presets_in_minutes()
    {
        var absurd = new RunConfig
        {
            Architecture = new ArchitectureSpec
            {
                InputSize = 512, Channels = 3,
                Blocks = Enumerable.Range(0, 8).Select(_ => new ConvBlockSpec(2048, Kernel: 11, Convs: 6)).ToArray(),
            },
            Training = new TrainingSettings { Epochs = 100, BatchSize = 1024 },
        };
        Assert.Empty(absurd.Validate());
        var e = RunEstimate.For(absurd, 5216, 624, ComputeSpeed.Reference);
        Assert.Equal("more than ten years", RunEstimate.Describe(e.TotalSeconds));
        Assert.True(e.BatchMemoryMiB > 1e7, $"{e.BatchMemoryMiB:N0} MiB");
        foreach (var preset in ArchitecturePresets.Names)
            Assert.InRange(RunEstimate.For(RunPresets.Get(preset), 5216, 624, ComputeSpeed.Reference).TotalSeconds / 60, 2, 120);
    }
}
