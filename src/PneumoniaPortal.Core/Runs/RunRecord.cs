using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Core.Runs;

/// <summary>One image's result on an evaluated split.</summary>
public sealed record ImagePrediction(string RelativePath, int Label, float Probability, bool Correct);

/// <summary>The test-split evaluation of a run, with how its checkpoint and threshold were chosen (never on the test split).</summary>
public sealed record TestReport(
    string Split,
    BinaryEvaluation Evaluation,
    ClassificationReport Report,
    IReadOnlyList<RocPoint> Roc,
    IReadOnlyList<PrPoint> PrecisionRecall,
    double AveragePrecision,
    ThresholdChoice Threshold,
    string Checkpoint,
    /// <summary>How the evaluated checkpoint(s) were chosen, in one sentence.</summary>
    string CheckpointChoice,
    bool TestTimeAugmentation);

/// <summary>Everything a run produced, stored as run.json in the run folder.</summary>
public sealed record RunRecord
{
    public string Id { get; init; } = "";
    public RunConfig Config { get; init; } = new();
    public string DatasetSource { get; init; } = "";
    public string DatasetFingerprint { get; init; } = "";
    public int TrainImages { get; init; }
    public int ValidationImages { get; init; }
    public int TestImages { get; init; }
    public double NormalClassWeight { get; init; } = 1;
    public double PneumoniaClassWeight { get; init; } = 1;
    public string Device { get; init; } = "cpu";
    public long Parameters { get; init; }
    public List<EpochMetrics> History { get; init; } = [];
    public int BestEpoch { get; init; }
    public string Status { get; init; } = "Created";
    public string? StopReason { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public double TrainingSeconds { get; init; }
    public TestReport? Test { get; init; }
}
