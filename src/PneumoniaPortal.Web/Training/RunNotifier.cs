using Microsoft.AspNetCore.SignalR;

namespace PneumoniaPortal.Web.Training;

/// <summary>Sends a run's live messages to its SignalR group (through the Redis backplane when scaled out).</summary>
public sealed class RunNotifier(IHubContext<TrainingHub> hub)
{
    public Task EpochAsync(int runId, LiveEpoch epoch) =>
        hub.Clients.Group(RunGroups.For(runId)).SendAsync("epoch", new EpochMessage(runId, epoch, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public Task StatusAsync(RunStatusMessage status) =>
        hub.Clients.Group(RunGroups.For(status.RunId)).SendAsync("status", status);
}
