using PneumoniaPortal.Core.Runs;

namespace PneumoniaPortal.Web.Runs;

/// <summary>One side of an epoch as the browser draws it; NaN (e.g. AUC of a one-class batch) becomes null.</summary>
public sealed record LiveSplit(double? Loss, double? Accuracy, double? Precision, double? Recall, double? Specificity, double? Auc)
{
    public static LiveSplit From(SplitMetrics m) => new(N(m.Loss), N(m.Accuracy), N(m.Precision), N(m.Recall), N(m.Specificity), N(m.Auc));

    internal static double? N(double v) => double.IsFinite(v) ? v : null;
}

/// <summary>One finished epoch, as sent to the run page and stored in <see cref="Data.RunEpoch"/>.</summary>
public sealed record LiveEpoch(int Epoch, LiveSplit Train, LiveSplit Validation, double? LearningRate, double Seconds, double ImagesPerSecond, double DataWaitFraction, bool IsBest)
{
    public static LiveEpoch From(EpochMetrics m) => new(m.Epoch, LiveSplit.From(m.Train), LiveSplit.From(m.Validation),
        LiveSplit.N(m.LearningRate), m.Seconds, m.ImagesPerSecond, m.DataWaitFraction, m.IsBest);
}

/// <summary>SignalR "epoch": sent to group run-{id} the moment the worker finishes an epoch.</summary>
public sealed record EpochMessage(int RunId, LiveEpoch Epoch, long SentAtMs);

/// <summary>SignalR "status": queue, start, progress inside an epoch, and the end of a run.</summary>
public sealed record RunStatusMessage(
    int RunId,
    string Status,
    string? Message,
    int EpochsDone,
    int EpochsPlanned,
    int? Epoch = null,
    int? Batch = null,
    int? Batches = null,
    double? ImagesPerSecond = null,
    string? Error = null)
{
    /// <summary>The run as it stands: its status, message, error and epochs.</summary>
    public static RunStatusMessage Of(Data.TrainingRun run) =>
        new(run.Id, run.Status.ToString(), run.Message, run.EpochsDone, run.EpochsPlanned, Error: run.Error);
}

/// <summary>
/// A run's live messages go to two groups: <see cref="For"/> holds the watchers who may always see it (owner,
/// instructors, admins), <see cref="Shared"/> those who see it only while it is shared with the class, and gets
/// nothing once it is not. Unsharing a run so stops its messages to classmates within a second (the sending node
/// reads whether the run is shared at most once a second).
/// </summary>
public static class RunGroups
{
    public static string For(int runId) => $"run-{runId}";

    public static string Shared(int runId) => $"run-{runId}-shared";
}
