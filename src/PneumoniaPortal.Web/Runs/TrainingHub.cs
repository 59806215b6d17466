using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// Live training updates. A browser calls <see cref="WatchRun"/> for a run it may see; it joins group run-{id} and
/// gets the history so far, then "epoch" and "status" messages as the worker reports them.
/// </summary>
[Authorize]
public sealed class TrainingHub(IDbContextFactory<PortalDbContext> dbFactory) : Hub
{
    public const string Path = "/hubs/training";

    public async Task<IReadOnlyList<LiveEpoch>> WatchRun(int runId)
    {
        var viewer = Viewer.Of(Context.User!);
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        if (await RunAccess.SeesOnlyWhileSharedAsync(db, viewer, runId, Context.ConnectionAborted) is not { } whileShared)
            throw new HubException($"Run {runId} does not exist or is not yours to watch.");
        // Join first, then read: an epoch finishing in between arrives twice at worst (the page ignores repeats), never not at all.
        await Groups.AddToGroupAsync(Context.ConnectionId, whileShared ? RunGroups.Shared(runId) : RunGroups.For(runId), Context.ConnectionAborted);
        return await RunHistory.ReadAsync(db, runId, Context.ConnectionAborted);
    }

    public async Task StopWatching(int runId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroups.For(runId));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroups.Shared(runId));
    }
}
