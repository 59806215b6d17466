namespace PneumoniaPortal.Web.Runs;

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
