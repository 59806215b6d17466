using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Runs;

/// <summary>
/// A worker that lost its run writes nothing more to the run's folder; a run made private again stops reaching the
/// classmates who were watching it; a file a leaderboard holds back is never named in what a run says.
/// </summary>
public sealed class RunFenceAndLiveTests
{
    static async Task<int> EpochsInFolderAsync(PortalHost portal, int runId)
    {
        var file = Path.Combine(portal.DataDirectory, "runs", $"run-{runId:D6}", "run.json");
        for (var attempt = 0; ; attempt++)
        {
            try { return new RunFolder(Path.GetDirectoryName(file)!).ReadRecord().History.Count; }
            catch (Exception e) when ((e is IOException or JsonException) && attempt < 20) { await Task.Delay(50); }
        }
    }

    static async Task WaitForEpochsAsync(SignedInClient client, int runId, int epochs)
    {
        for (var i = 0; i < 1200 && (await client.GetRunAsync(runId)).EpochsDone < epochs; i++) await Task.Delay(100);
    }

    [Fact]
    public async Task A_worker_whose_run_was_claimed_again_writes_no_more_epochs_to_its_folder()
    {
        using var portal = new PortalHost();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var run = await student.StartRunAsync("fenced", PortalApi.SlowConfig(epochs: 30));
        await WaitForEpochsAsync(student, run, 1);

        // Another worker's claim, as after a database outage in which this worker's heartbeat went stale: the run's
        // row still names this worker, so only the claim number says the run is no longer its own.
        await using (var db = await portal.NewDbAsync())
            await db.Runs.Where(r => r.Id == run).ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimNumber, r => r.ClaimNumber + 1));
        var atClaim = await EpochsInFolderAsync(portal, run);
        var epochSeconds = (await student.GetRunAsync(run)).History.Max(e => e.Seconds);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(4, 4 * epochSeconds)));

        // An epoch already being written when the claim changed may land; nothing after it.
        var later = await EpochsInFolderAsync(portal, run);
        Assert.InRange(later, atClaim, atClaim + 1);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(2, 2 * epochSeconds)));
        Assert.Equal(later, await EpochsInFolderAsync(portal, run));
    }

    [Fact]
    public async Task Unsharing_a_run_stops_its_live_messages_to_classmates_at_once_but_not_to_its_owner()
    {
        using var portal = new PortalHost();
        using var owner = await portal.SignInAsync(DemoSeeder.StudentEmail);
        using var classmate = portal.NewClient();
        string code;
        code = (await portal.DemoCourseAsync()).JoinCode!;
        await Host.SignInTests.RegisterAsync(classmate, $"mate-{Guid.NewGuid():N}"[..13] + "@example.org", code);

        var run = await owner.StartRunAsync("shared for a while", PortalApi.SlowConfig(epochs: 30));
        Assert.True((await owner.Http.PostAsync($"api/runs/{run}/share?shared=true", null)).IsSuccessStatusCode);
        var toOwner = new ConcurrentQueue<string>();
        var toClassmate = new ConcurrentQueue<string>();
        await using var ownerHub = await WatchAsync(portal, owner, run, toOwner);
        await using var classmateHub = await WatchAsync(portal, classmate, run, toClassmate);
        for (var i = 0; i < 600 && toClassmate.IsEmpty; i++) await Task.Delay(100);
        Assert.NotEmpty(toClassmate);

        Assert.True((await owner.Http.PostAsync($"api/runs/{run}/share?shared=false", null)).IsSuccessStatusCode);
        await Task.Delay(1500); // a message already on its way may still arrive
        var classmateAtUnshare = toClassmate.Count;
        var ownerAtUnshare = toOwner.Count;
        for (var i = 0; i < 100 && toOwner.Count < ownerAtUnshare + 3; i++) await Task.Delay(100);
        Assert.True(toOwner.Count >= ownerAtUnshare + 3, "the owner keeps getting the run's messages");
        Assert.Equal(classmateAtUnshare, toClassmate.Count);
        await owner.Http.PostAsync($"api/runs/{run}/cancel", null);
    }

    static async Task<HubConnection> WatchAsync(PortalHost portal, SignedInClient client, int run, ConcurrentQueue<string> into)
    {
        var hub = portal.Hub(client);
        foreach (var method in new[] { "epoch", "status" })
            hub.On(method, [typeof(JsonElement)], args =>
            {
                into.Enqueue(method + " " + ((JsonElement)args[0]!).GetRawText());
                return Task.CompletedTask;
            });
        await hub.StartAsync();
        await hub.InvokeAsync<JsonElement>("WatchRun", run);
        return hub;
    }
}
