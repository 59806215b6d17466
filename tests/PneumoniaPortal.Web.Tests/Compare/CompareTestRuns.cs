using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Tests.Compare;

/// <summary>Hand-made finished runs: a few test images each, with probabilities chosen so every verdict is known.</summary>
public static class CompareTestRuns
{
    public static readonly ArchitectureSpec TwoBlocks = new() { Name = "two", InputSize = 64, Blocks = [new ConvBlockSpec(8), new ConvBlockSpec(16)] };

    public static RunResults Run(int id, (string Path, Label Label, float P)[] images, double threshold = 0.5, long parameters = 1000,
        double seconds = 100, int epochs = 3, int datasetId = 1, RunConfig? config = null) => new()
        {
            Run = new TrainingRun { Id = id, Name = $"run {id}", DatasetId = datasetId, Status = RunStatus.Succeeded },
            OwnerName = "Ada",
            Record = new RunRecord
            {
                Config = config ?? new RunConfig { Architecture = TwoBlocks },
                Parameters = parameters,
                TrainingSeconds = seconds,
                History = Enumerable.Range(1, epochs).Select(e => new EpochMetrics(e,
                    new SplitMetrics(1.0 / e, 0.5 + e * 0.1, 0.5, 0.5, 0.5, 0.5), new SplitMetrics(1.2 / e, 0.5 + e * 0.05, 0.5, 0.5, 0.5, 0.5),
                    1e-3, 1, 10, 0, e == epochs, 0)).ToList(),
            },
            Test = images.Select((x, i) => new ResultImage(x.Path, x.Label, x.P, $"id{i}")).ToList(),
            Threshold = threshold,
            HeldOut = 0,
            FolderPath = "",
        };

    /// <summary>At 0.5: right on n1 and p1, wrong on n2 and p2; "extra" (right) is only in this run, so accuracy is 3/5.</summary>
    public static RunResults A(int datasetId = 1) => Run(1, [
        ("test/NORMAL/n1.jpeg", Label.Normal, 0.2f), ("test/NORMAL/n2.jpeg", Label.Normal, 0.6f),
        ("test/PNEUMONIA/p1.jpeg", Label.Pneumonia, 0.9f), ("test/PNEUMONIA/p2.jpeg", Label.Pneumonia, 0.4f),
        ("test/NORMAL/extra.jpeg", Label.Normal, 0.1f)],
        parameters: 1000, seconds: 100, datasetId: datasetId);

    /// <summary>At 0.5: right on n1, n2 and p1, wrong on p2 (accuracy 0.75); more parameters, faster.</summary>
    public static RunResults B(int datasetId = 1) => Run(2, [
        ("test/NORMAL/n1.jpeg", Label.Normal, 0.1f), ("test/NORMAL/n2.jpeg", Label.Normal, 0.3f),
        ("test/PNEUMONIA/p1.jpeg", Label.Pneumonia, 0.8f), ("test/PNEUMONIA/p2.jpeg", Label.Pneumonia, 0.45f)],
        parameters: 5000, seconds: 50, datasetId: datasetId,
        config: new RunConfig { Architecture = TwoBlocks with { Blocks = [new ConvBlockSpec(8), new ConvBlockSpec(16), new ConvBlockSpec(32)] }, Training = new TrainingSettings { LearningRate = 3e-3 } });

    /// <summary>Right on everything (accuracy 1) but trained on another data set.</summary>
    public static RunResults Elsewhere() => Run(3, [
        ("test/NORMAL/n1.jpeg", Label.Normal, 0.1f), ("test/NORMAL/n2.jpeg", Label.Normal, 0.1f),
        ("test/PNEUMONIA/p1.jpeg", Label.Pneumonia, 0.9f), ("test/PNEUMONIA/p2.jpeg", Label.Pneumonia, 0.9f)],
        parameters: 10, seconds: 1, datasetId: 2);
}
