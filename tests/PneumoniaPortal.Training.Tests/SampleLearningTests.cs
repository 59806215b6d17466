using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Tests.Shared;
using Xunit.Abstractions;

namespace PneumoniaPortal.Training.Tests;

/// <summary>
/// Issue 18: what a newcomer sees first. The <c>cpu-default</c> preset, exactly as the set-up form offers it (its own
/// seed and size), trained on the sample shipped in the repository, must look like learning on every chart: a
/// validation split big enough to mean something, validation accuracy that climbs above chance, and a test AUC well
/// above it. About a minute and a half on two cores.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class SampleLearningTests(ITestOutputHelper output)
{
    [Fact]
    public void The_cpu_default_preset_on_the_shipped_sample_learns_on_every_chart()
    {
        var config = RunPresets.Get(ArchitecturePresets.CpuDefault);
        var root = TestData.NewTempDirectory("sample-learning");
        try
        {
            using var sample = DatasetImporter.Open(TestData.SampleRoot);
            var record = new Trainer(config, sample, Path.Combine(root, "run"), new TrainerOptions { CacheDirectory = Path.Combine(root, "cache") }).Run();
            foreach (var e in record.History)
                output.WriteLine($"epoch {e.Epoch}: train loss {e.Train.Loss:0.000}, val loss {e.Validation.Loss:0.000}, val acc {e.Validation.Accuracy:0.000}, val AUC {e.Validation.Auc:0.000}");
            var test = record.Test!.Evaluation;
            output.WriteLine($"seed {config.Training.Seed}, {config.Architecture.InputSize} px: {record.TrainImages} train, {record.ValidationImages} validation, {record.TestImages} test images; " +
                             $"test accuracy {test.Accuracy:0.000}, AUC {test.Auc:0.000}; {record.TrainingSeconds:0} s");

            Assert.Equal("Succeeded", record.Status);
            // A validation split of at least 60 images: one image is at most 1.7 points of accuracy, not 6 as on Kermany's 16.
            Assert.True(record.ValidationImages >= 60, $"{record.ValidationImages} validation images");
            // Balanced, so 0.5 is what a model that learned nothing scores; the run must climb above it, and clearly.
            var best = record.History.Max(e => e.Validation.Accuracy);
            Assert.True(best > 0.8, $"best validation accuracy {best:0.000}");
            Assert.True(record.History.Count(e => e.Validation.Accuracy > 0.5) >= record.History.Count / 2,
                $"validation accuracy above 0.5 in only {record.History.Count(e => e.Validation.Accuracy > 0.5)} of {record.History.Count} epochs");
            Assert.True(test.Auc > 0.8, $"test AUC {test.Auc:0.000}");
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
