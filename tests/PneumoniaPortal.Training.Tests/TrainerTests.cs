using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Training.Tests;

/// <summary>
/// Tests that train. TorchSharp's random generator is one per process, so two trainings at once would draw from each
/// other's sequence (a resumed run would no longer repeat the uninterrupted one): they run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TrainingCollection
{
    public const string Name = "Training, one at a time";
}

[Collection(TrainingCollection.Name)]
public sealed class TrainerTests(TinyTraining tiny) : IClassFixture<TinyTraining>
{
    sealed class Collect<T> : IProgress<T>
    {
        public List<T> Items { get; } = [];
        public Action<T>? Then { get; init; }
        public void Report(T value)
        {
            lock (Items) Items.Add(value);
            Then?.Invoke(value);
        }
    }

    [Fact]
    public void Training_lowers_the_loss_and_writes_the_run_folder()
    {
        var dir = tiny.NewRunDirectory("run");
        var record = new Trainer(TinyTraining.Config(epochs: 3), tiny.Catalog, dir, tiny.Options()).Run();

        Assert.Equal("Succeeded", record.Status);
        Assert.Equal(3, record.History.Count);
        Assert.True(record.History[^1].Train.Loss < record.History[0].Train.Loss,
            $"train loss should fall: {string.Join(" -> ", record.History.Select(h => h.Train.Loss.ToString("0.000")))}");
        // 240 images are asked for (the shipped sample, with PORTAL_DATA pointing at it, has 680 outside test).
        var expected = Math.Min(240, tiny.Catalog.Images.Count(i => i.Split != Core.Dataset.Split.Test));
        Assert.InRange(record.TrainImages + record.ValidationImages, expected - 2, expected + 2);
        Assert.NotNull(record.Test);
        Assert.Equal(record.TestImages, record.Test!.Evaluation.ConfusionMatrix.Total);
        Assert.Contains("validation", record.Test.Threshold.How);
        Assert.True(File.Exists(Path.Combine(dir, "run.json")));
        Assert.True(File.Exists(Path.Combine(dir, "last.pt")));
        var predictions = File.ReadAllLines(Path.Combine(dir, "predictions.csv"));
        Assert.Equal("path,split,label,probability,predicted,correct", predictions[0]);
        Assert.Equal(record.TestImages + record.ValidationImages, predictions.Length - 1);
        // The epoch picked for the test figures is the best on validation, never chosen on test.
        Assert.Contains($"epoch {record.BestEpoch}", record.Test.CheckpointChoice);
        Assert.Equal(record.History.MinBy(h => h.Validation.Loss)!.Epoch, record.BestEpoch);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_continues_the_same_run()
    {
        var straight = new Trainer(TinyTraining.Config(epochs: 3), tiny.Catalog, tiny.NewRunDirectory("straight"), tiny.Options() with { Evaluate = false }).Run();

        var dir = tiny.NewRunDirectory("resumed");
        var firstPart = new Trainer(TinyTraining.Config(epochs: 2), tiny.Catalog, dir, tiny.Options() with { Evaluate = false }).Run();
        var messages = new Collect<string>();
        var resumed = new Trainer(TinyTraining.Config(epochs: 3), tiny.Catalog, dir, tiny.Options(messages: messages) with { Evaluate = false }).Run();

        Assert.Contains(messages.Items, m => m.Contains("Resuming at epoch 3"));
        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(firstPart.History, resumed.History.Take(2));
        // Same seed, same order and augmentation per epoch, same weights and optimizer state: epoch 3 matches an unbroken run.
        Assert.Equal(straight.History[2].Train.Loss, resumed.History[2].Train.Loss, 2);
        Assert.Equal(straight.History[2].Validation.Loss, resumed.History[2].Validation.Loss, 2);
    }

    [Fact]
    public void Cancelling_stops_within_one_batch_and_keeps_finished_epochs()
    {
        var dir = tiny.NewRunDirectory("cancel");
        using var cancel = new CancellationTokenSource();
        var batches = new Collect<BatchProgress> { Then = b => { if (b.Epoch == 2 && b.Batch == 2) cancel.Cancel(); } };
        var trainer = new Trainer(TinyTraining.Config(epochs: 5), tiny.Catalog, dir, tiny.Options(batches));

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Run(cancel.Token));

        Assert.Equal((2, 2), (batches.Items[^1].Epoch, batches.Items[^1].Batch));
        var record = new RunFolder(dir).ReadRecord();
        Assert.Equal("Cancelled", record.Status);
        Assert.Single(record.History);
    }

    [Fact]
    public void A_run_folder_with_other_settings_is_refused_not_overwritten()
    {
        var dir = tiny.NewRunDirectory("other");
        new Trainer(TinyTraining.Config(epochs: 1), tiny.Catalog, dir, tiny.Options() with { Evaluate = false }).Run();
        var changed = TinyTraining.Config(epochs: 1) with { Training = TinyTraining.Config(1).Training with { LearningRate = 0.01 } };

        var e = Assert.Throws<InvalidOperationException>(() => new Trainer(changed, tiny.Catalog, dir, tiny.Options()).Run());
        Assert.Contains("other settings", e.Message);
    }

    [Fact]
    public void Impossible_settings_are_refused_before_anything_runs()
    {
        var bad = TinyTraining.Config(1) with { Augmentation = new AugmentationSettings { RotationDegrees = 400 } };
        var dir = Path.Combine(tiny.NewRunDirectory("parent"), "never");

        var e = Assert.Throws<InvalidSettingsException>(() => new Trainer(bad, tiny.Catalog, dir));
        Assert.Contains("Rotation must be between 0 and 180 degrees; you entered 400 degrees.", e.Problems);
        Assert.False(Directory.Exists(dir));
    }
}
