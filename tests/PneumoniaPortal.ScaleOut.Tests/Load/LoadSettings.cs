using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.ScaleOut.Tests.Load;

/// <summary>How big and how long the load is: PORTAL_LOAD_STUDENTS (200), PORTAL_LOAD_SECONDS (60), PORTAL_LOAD_CIRCUITS (50).</summary>
public sealed record LoadSettings(int Students, TimeSpan Window, int Circuits)
{
    public static LoadSettings FromEnvironment() => new(
        Number("PORTAL_LOAD_STUDENTS", 200, min: 2),
        TimeSpan.FromSeconds(Number("PORTAL_LOAD_SECONDS", 60, min: 10)),
        Number("PORTAL_LOAD_CIRCUITS", 50, min: 0));

    static int Number(string name, int fallback, int min) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value >= min ? value : fallback;

    /// <summary>
    /// The runs that train during the window: 48 px, three small blocks, at most 200 training images of the shipped
    /// sample; an epoch takes under a
    /// second on an idle machine and a few seconds under the load. More epochs than the window holds (the portal is
    /// stopped at the end).
    /// </summary>
    public static RunConfig TrainingConfig() => new()
    {
        Architecture = new ArchitectureSpec
        {
            Name = "load", InputSize = 48, Channels = 1,
            Blocks = [new ConvBlockSpec(8), new ConvBlockSpec(16), new ConvBlockSpec(32)],
        },
        Augmentation = new AugmentationSettings { RotationDegrees = 5 },
        Training = new TrainingSettings { Epochs = 100, BatchSize = 32, EarlyStoppingPatience = 0, LearningRate = 3e-3, Seed = 7, MaxTrainImages = 200 },
    };

    /// <summary>Where the load test leaves load.json and the portal's log: PORTAL_TEST_RESULTS, else this project's TestResults/.</summary>
    public static string ResultsFolder()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_TEST_RESULTS");
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(TestData.RepoRoot, "tests", "PneumoniaPortal.ScaleOut.Tests", "TestResults")
            : Path.GetFullPath(configured);
        Directory.CreateDirectory(path);
        return path;
    }
}
