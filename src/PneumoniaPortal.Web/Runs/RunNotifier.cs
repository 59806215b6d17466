using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// Sends a run's live messages to its SignalR groups (through the Redis backplane when scaled out): always to the
/// watchers who may always see it, and to classmates only while the run is shared (<see cref="RunGroups"/>).
/// </summary>
public sealed class RunNotifier(IHubContext<TrainingHub> hub, IDbContextFactory<PortalDbContext> dbFactory)
{
    // Whether a run is shared, read again at most every second: batch progress is sent a few times a second.
    readonly ConcurrentDictionary<int, (bool Shared, DateTime Read)> _shared = new();

    public Task EpochAsync(int runId, LiveEpoch epoch) =>
        SendAsync(runId, "epoch", new EpochMessage(runId, epoch, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public Task StatusAsync(RunStatusMessage status) => SendAsync(status.RunId, "status", status);

    async Task SendAsync(int runId, string method, object message)
    {
        var groups = await IsSharedAsync(runId) ? new[] { RunGroups.For(runId), RunGroups.Shared(runId) } : [RunGroups.For(runId)];
        await hub.Clients.Groups(groups).SendAsync(method, message);
    }

    async Task<bool> IsSharedAsync(int runId)
    {
        if (_shared.TryGetValue(runId, out var known) && DateTime.UtcNow - known.Read < TimeSpan.FromSeconds(1)) return known.Shared;
        bool shared;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            shared = await db.Runs.Where(r => r.Id == runId).Select(r => r.SharedWithCourse).FirstOrDefaultAsync();
        }
        catch (Exception e) when (Scale.DatabaseUnavailable.Is(e))
        {
            shared = false; // while the database cannot say, only those who may always see the run get it
        }
        _shared[runId] = (shared, DateTime.UtcNow);
        return shared;
    }

    /// <summary>After the owner shared or unshared the run here: the next message goes by the new setting at once.</summary>
    public void Forget(int runId) => _shared.TryRemove(runId, out _);
}
