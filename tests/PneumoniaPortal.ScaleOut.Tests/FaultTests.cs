using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using PneumoniaPortal.ScaleOut.Tests.Infrastructure;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.ScaleOut.Tests;

/// <summary>What a scaled-out portal does when one of its parts goes away: a worker, a web node, the database.</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class FaultTests(ITestOutputHelper output)
{
    [ScaleOutFact]
    public async Task A_run_whose_worker_is_killed_is_interrupted_and_resumed_by_a_new_worker_from_its_last_checkpoint()
    {
        await using var cluster = await PortalCluster.StartAsync(new Dictionary<string, string>
        {
            ["Training:HeartbeatSeconds"] = "1",
            ["Training:LostAfterSeconds"] = "6",
        });
        await cluster.ExplainFailuresAsync(async () =>
        {
            const int epochs = 4;
            var started = await cluster.StartNodesAsync(("A", PortalRole.Web), ("W1", PortalRole.Worker));
            var (web, firstWorker) = (started[0], started[1]);
            using var student = await web.SignInAsync(PortalCluster.Student);
            var id = await student.StartRunAsync("worker killed mid-run", RunConfigs.Slow(epochs));

            var clock = Stopwatch.StartNew();
            var statuses = new ConcurrentQueue<(RunStatusMessage Message, TimeSpan At)>();
            await using var hub = student.TrainingHub();
            hub.On<RunStatusMessage>("status", m => statuses.Enqueue((m, clock.Elapsed)));
            await hub.StartAsync();
            await hub.InvokeAsync<List<LiveEpoch>>("WatchRun", id);

            await student.WaitForRunAsync(id, TimeSpan.FromMinutes(3), r => r is { Status: "Running", EpochsDone: >= 1 } && r.EpochsDone < epochs, "a finished epoch");
            firstWorker.Kill();
            var killedAt = clock.Elapsed;
            // The epochs the killed worker stored; read after the kill, so none can be added in between.
            var stored = (await student.GetRunAsync(id)).History;
            Assert.NotEmpty(stored);

            // Nothing will write the heartbeat again: after LostAfterSeconds the web node takes the run as lost.
            var interrupted = await WaitForStatusMessageAsync(statuses, "Interrupted", TimeSpan.FromSeconds(40));
            output.WriteLine($"killed worker -> run Interrupted: {(interrupted.At - killedAt).TotalSeconds:0.0} s (LostAfterSeconds 6, HeartbeatSeconds 1): {interrupted.Message.Message}");
            await WaitForStatusMessageAsync(statuses, "Queued", TimeSpan.FromSeconds(10), after: interrupted.At);
            Assert.Equal("Queued", (await student.GetRunAsync(id)).Status); // back on the queue, waiting for a worker

            await cluster.StartNodeAsync("W2", PortalRole.Worker);
            var done = await student.WaitForStatusAsync(id, TimeSpan.FromMinutes(3), "Succeeded", "Failed");
            Assert.True(done.Status == "Succeeded", $"run {id}: {done.Status} {done.Error}");

            var resumed = statuses.Select(s => s.Message.Message).FirstOrDefault(m => m?.StartsWith("Resuming at epoch") == true);
            Assert.True(resumed is not null, $"no 'Resuming at epoch' status; statuses: {string.Join(" | ", statuses.Select(s => $"{s.Message.Status} {s.Message.Message}"))}");
            output.WriteLine($"{stored.Count} epochs stored before the kill; W2: {resumed}");
            Assert.Equal(Enumerable.Range(1, epochs), done.History.Select(e => e.Epoch).Order());
            // The epochs finished before the kill are the very ones kept: not trained again, not overwritten.
            foreach (var before in stored)
                Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(done.History.Single(e => e.Epoch == before.Epoch)));
            Assert.Matches($"Resuming at epoch {stored.Count + 1} ", resumed);
        }, output);
    }

    [ScaleOutFact(Browser = true)]
    public async Task After_a_web_node_restarts_its_open_run_page_reloads_still_signed_in_and_keeps_drawing_epochs()
    {
        await using var cluster = await PortalCluster.StartAsync();
        await cluster.ExplainFailuresAsync(async () =>
        {
            var started = await cluster.StartNodesAsync(("B", PortalRole.Web), ("W", PortalRole.Worker));
            var web = started[0];
            using var student = await web.SignInAsync(PortalCluster.Student);
            var id = await student.StartRunAsync("web node restarted mid-run", RunConfigs.Slow(30));
            var page = await PortalBrowser.SignedInPageAsync(web, PortalCluster.Student);
            try
            {
                await PortalBrowser.OpenAsync(page, $"runs/{id}");
                await page.WaitForFunctionAsync("() => window.portalLive && window.portalLive.latencies.length >= 1", null, new() { Timeout = 180_000, PollingInterval = 200 });
                var shownBefore = int.Parse((await page.GetByTestId("run-charts").GetAttributeAsync("data-epochs"))!);
                await page.EvaluateAsync("() => window.beforeRestart = true"); // gone once the page has reloaded

                // A crash and a restart on the same port (a clean SIGTERM waits out the host's 30 s shutdown timeout while a page is open).
                var restart = Stopwatch.StartNew();
                await web.RestartAsync(crash: true);
                var downFor = restart.Elapsed;
                var back = Stopwatch.StartNew();
                await page.WaitForFunctionAsync("() => window.beforeRestart === undefined", null, new() { Timeout = 90_000, PollingInterval = 100 });
                var reloadedAfter = back.Elapsed;
                Assert.Matches(new Regex($"/runs/{id}$"), page.Url); // not the sign-in page: the cookie outlived the node
                await BlazorCircuit.WaitUntilInteractiveAsync(page);
                output.WriteLine($"web node restart took {downFor.TotalSeconds:0.0} s; the page reloaded {reloadedAfter.TotalSeconds:0.0} s after the node was ready " +
                                 $"and was interactive after {back.Elapsed.TotalSeconds:0.0} s");

                // New epochs arrive live on the reloaded page.
                await page.WaitForFunctionAsync("() => window.portalLive && window.portalLive.latencies.length >= 1", null, new() { Timeout = 120_000, PollingInterval = 200 });
                var shownAfter = int.Parse((await page.GetByTestId("run-charts").GetAttributeAsync("data-epochs"))!);
                Assert.True(shownAfter > shownBefore, $"the chart showed {shownBefore} epochs before the restart and {shownAfter} after");
            }
            catch
            {
                output.WriteLine($"Screenshot: {await PortalBrowser.ScreenshotAsync(page, "run-page-after-restart")}");
                throw;
            }
            finally { await page.Context.CloseAsync(); }
            await student.CancelRunAsync(id); // its remaining epochs prove nothing more
        }, output);
    }

    [ScaleOutFact]
    public async Task While_the_database_is_down_pages_and_the_API_say_so_with_503_nothing_is_half_written_and_the_portal_recovers_by_itself()
    {
        await using var cluster = await PortalCluster.StartAsync();
        await cluster.ExplainFailuresAsync(async () =>
        {
            var web = await cluster.StartNodeAsync("A", PortalRole.Web);
            using var student = await web.SignInAsync(PortalCluster.Student);
            await student.StartRunAsync("before the outage", RunConfigs.Tiny(2)); // no worker: it stays queued
            var runsBefore = await cluster.QueryAsync<long>("SELECT count(*) FROM \"Runs\"");
            var jobsBefore = await cluster.QueryAsync<long>("SELECT count(*) FROM hangfire.job");

            try
            {
                await cluster.Postgres.StopAsync();

                var page = await student.Http.GetAsync("runs");
                var html = await page.Content.ReadAsStringAsync();
                Assert.True(page.StatusCode == HttpStatusCode.ServiceUnavailable, $"GET /runs: {(int)page.StatusCode} {Shorten(html)}");
                Assert.Contains("text/html", page.Content.Headers.ContentType?.ToString());
                Assert.Contains("The portal's database is unavailable", html);
                Assert.Contains("nothing was loaded or saved", html);

                var write = await student.PostRunAsync("during the outage", RunConfigs.Tiny(2));
                var body = await write.Content.ReadAsStringAsync();
                Assert.True(write.StatusCode == HttpStatusCode.ServiceUnavailable, $"POST /api/runs: {(int)write.StatusCode} {Shorten(body)}");
                using var json = JsonDocument.Parse(body);
                var problems = json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
                Assert.Contains(problems, p => p!.Contains("database is unavailable"));

                var health = await web.HealthAsync();
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
            }
            finally { await cluster.Postgres.StartAsync(); }

            var recovery = Stopwatch.StartNew();
            while ((await web.HealthAsync()).Status != HttpStatusCode.OK)
            {
                Assert.True(recovery.Elapsed < TimeSpan.FromSeconds(60), "/health did not come back within 60 s of PostgreSQL coming back");
                await Task.Delay(200);
            }
            output.WriteLine($"PostgreSQL back -> /health healthy on the web node: {recovery.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(runsBefore, await cluster.QueryAsync<long>("SELECT count(*) FROM \"Runs\""));
            Assert.Equal(jobsBefore, await cluster.QueryAsync<long>("SELECT count(*) FROM hangfire.job"));

            // The same node, not restarted, works again: pages, sign-in cookie and writes.
            Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync("runs")).StatusCode);
            await student.StartRunAsync("after the outage", RunConfigs.Tiny(2));
            Assert.Equal(runsBefore + 1, await cluster.QueryAsync<long>("SELECT count(*) FROM \"Runs\""));
        }, output);
    }

    static async Task<(RunStatusMessage Message, TimeSpan At)> WaitForStatusMessageAsync(
        ConcurrentQueue<(RunStatusMessage Message, TimeSpan At)> statuses, string status, TimeSpan timeout, TimeSpan? after = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = statuses.FirstOrDefault(s => s.Message.Status == status && s.At >= (after ?? TimeSpan.Zero));
            if (found.Message is not null) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No '{status}' status within {timeout.TotalSeconds:0} s; statuses: {string.Join(" | ", statuses.Select(s => $"{s.Message.Status} {s.Message.Message}"))}");
    }

    static string Shorten(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
