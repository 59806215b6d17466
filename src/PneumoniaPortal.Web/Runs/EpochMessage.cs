namespace PneumoniaPortal.Web.Runs;

/// <summary>SignalR "epoch": sent to group run-{id} the moment the worker finishes an epoch.</summary>
public sealed record EpochMessage(int RunId, LiveEpoch Epoch, long SentAtMs);
