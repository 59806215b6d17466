using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.Training.Tests;

/// <summary>A few hundred real images at 64 px: small enough for every test run, real enough that learning shows.</summary>
public sealed class TinyTraining : IDisposable
{
    public ImageCatalog Catalog { get; } = DatasetImporter.Open(TestData.Root);
    readonly string _root = TestData.NewTempDirectory("training");

    public string CacheDirectory => Path.Combine(_root, "cache");

    /// <summary>A fresh run folder, removed with the fixture.</summary>
    public string NewRunDirectory(string purpose) => Directory.CreateDirectory(Path.Combine(_root, $"{purpose}-{Guid.NewGuid():N}")).FullName;

    public static RunConfig Config(int epochs) => RunPresets.Get(ArchitecturePresets.CpuDefault) with
    {
        Architecture = ArchitecturePresets.CpuDefaultSpec with { InputSize = 64 },
        Training = new TrainingSettings
        {
            Epochs = epochs, BatchSize = 16, LearningRate = 1e-3, Optimizer = OptimizerKind.Adam,
            Scheduler = SchedulerKind.None, EarlyStoppingPatience = 0, MaxTrainImages = 240, Seed = 7,
            ValidationFraction = 0.2,
        },
    };

    public TrainerOptions Options(IProgress<Core.Runs.BatchProgress>? batches = null, IProgress<string>? messages = null) =>
        new() { CacheDirectory = CacheDirectory, Batches = batches, Messages = messages };

    public void Dispose()
    {
        Catalog.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
