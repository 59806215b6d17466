using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using PneumoniaPortal.ScaleOut.Tests.Infrastructure;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.ScaleOut.Tests;

/// <summary>Two web nodes and a worker on one database, queue and backplane: what one node starts, every node shows.</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class MultiNodeTests(TwoWebNodesAndAWorker nodes, ITestOutputHelper output) : IClassFixture<TwoWebNodesAndAWorker>
{
    [ScaleOutFact(Browser = true)]
    public Task A_run_started_on_web_A_streams_every_epoch_in_order_to_a_hub_client_and_a_browser_on_web_B() =>
        nodes.Cluster.ExplainFailuresAsync(async () =>
        {
            const int epochs = 4;
            using var onA = await nodes.A.SignInAsync(PortalCluster.Student);
            using var onB = onA.At(nodes.B); // the cookie from A, on B: the nodes share data-protection keys
            // Signed in before the run starts, so the run page is open before its second epoch even when epochs are quick.
            var page = await PortalBrowser.SignedInPageAsync(nodes.B, PortalCluster.Student);

            var id = await onA.StartRunAsync("fan-out across web nodes", RunConfigs.Slow(epochs));
            var clock = Stopwatch.StartNew();
            var received = new ConcurrentQueue<(EpochMessage Message, long LatencyMs)>();
            await using var hub = onB.TrainingHub();
            hub.On<EpochMessage>("epoch", m => received.Enqueue((m, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - m.SentAtMs)));
            await hub.StartAsync();
            var history = await hub.InvokeAsync<List<LiveEpoch>>("WatchRun", id);
            Assert.True(history.Count == 0, $"the hub client on B joined {clock.ElapsedMilliseconds} ms after the start, when {history.Count} epochs were already done");

            try
            {
                await PortalBrowser.OpenAsync(page, $"runs/{id}");
                // Points that arrive over SignalR while the page stays open, not history read at load.
                await page.WaitForFunctionAsync("() => window.portalLive && window.portalLive.latencies.length >= 2", null,
                    new() { Timeout = 180_000, PollingInterval = 200 });
                var points = int.Parse((await page.GetByTestId("chart-loss").GetAttributeAsync("data-points"))!);
                Assert.True(points >= 2, $"the loss chart on B shows {points} points");
                var browserLatencies = await page.EvaluateAsync<double[]>("() => window.portalLive.latencies");
                output.WriteLine($"worker -> chart in Chromium on B (ms): {string.Join(", ", browserLatencies.Select(l => l.ToString("0")))}");
            }
            catch
            {
                output.WriteLine($"Screenshot: {await PortalBrowser.ScreenshotAsync(page, "fan-out-page-on-B")}");
                throw;
            }
            finally { await page.Context.CloseAsync(); }
            Assert.DoesNotContain("JavaScript was not found", nodes.B.Tail(400)); // every static file was served whole

            var done = await onA.WaitForStatusAsync(id, TimeSpan.FromMinutes(3), "Succeeded", "Failed");
            Assert.True(done.Status == "Succeeded", $"run {id}: {done.Status} {done.Error}");
            await WaitUntilAsync(() => received.Count >= epochs, TimeSpan.FromSeconds(10));

            var live = received.ToList();
            Assert.Equal(Enumerable.Range(1, epochs), live.Select(r => r.Message.Epoch.Epoch));
            Assert.All(live, r => Assert.Equal(id, r.Message.RunId));
            // What B's client saw live is what the database keeps.
            Assert.Equal(done.History.OrderBy(e => e.Epoch).Select(Describe), live.Select(r => Describe(r.Message.Epoch)));
            output.WriteLine($"worker -> hub client on B (ms): {string.Join(", ", live.Select(r => r.LatencyMs))}; " +
                             $"epochs took {string.Join(", ", done.History.Select(e => e.Seconds.ToString("0.0")))} s");
        }, output);

    [ScaleOutFact(Browser = true)]
    public Task Cancel_pressed_on_web_B_stops_the_run_on_the_worker_and_frees_it() =>
        nodes.Cluster.ExplainFailuresAsync(async () =>
        {
            using var onA = await nodes.A.SignInAsync(PortalCluster.Student);
            var id = await onA.StartRunAsync("cancelled from another node", RunConfigs.Slow(30));
            var page = await PortalBrowser.SignedInPageAsync(nodes.B, PortalCluster.Student);
            try
            {
                await PortalBrowser.OpenAsync(page, $"runs/{id}");
                await onA.WaitForRunAsync(id, TimeSpan.FromMinutes(2), r => r is { Status: "Running", EpochsDone: >= 1 }, "Running with a finished epoch");
                var clicked = Stopwatch.StartNew();
                await page.GetByTestId("cancel-run").ClickAsync();
                await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Cancelled", new() { Timeout = 60_000 });
                output.WriteLine($"cancel on B -> Cancelled on B's page: {clicked.ElapsedMilliseconds} ms");
            }
            catch
            {
                output.WriteLine($"Screenshot: {await PortalBrowser.ScreenshotAsync(page, "cancel-page-on-B")}");
                throw;
            }
            finally { await page.Context.CloseAsync(); }

            var cancelled = await onA.GetRunAsync(id);
            Assert.Equal("Cancelled", cancelled.Status);
            await WaitUntilAsync(() => nodes.W.Tail(200).Contains($"Run {id} ended Cancelled"), TimeSpan.FromSeconds(10));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(cancelled.EpochsDone, (await onA.GetRunAsync(id)).EpochsDone); // the worker trains it no more

            // The worker's one slot is free again: the next run trains at once.
            var next = await onA.StartRunAsync("after the cancel", RunConfigs.Tiny(2));
            var after = await onA.WaitForStatusAsync(next, TimeSpan.FromMinutes(2), "Succeeded", "Failed");
            Assert.Equal("Succeeded", after.Status);
            var waited = await nodes.Cluster.QueryAsync<double>($"SELECT EXTRACT(EPOCH FROM \"StartedAt\" - \"QueuedAt\") FROM \"Runs\" WHERE \"Id\" = {next}");
            output.WriteLine($"a run queued for the idle worker started {waited:0.0} s later");
        }, output);

    [ScaleOutFact]
    public Task The_run_quota_and_one_open_proposal_per_image_hold_when_both_web_nodes_take_requests_at_once() =>
        nodes.Cluster.ExplainFailuresAsync(async () =>
        {
            using var onA = await nodes.A.SignInAsync(PortalCluster.Student);
            using var onB = onA.At(nodes.B);
            var active = await nodes.Cluster.QueryAsync<long>(
                "SELECT COUNT(*) FROM \"Runs\" r JOIN \"AspNetUsers\" u ON u.\"Id\" = r.\"OwnerId\" WHERE u.\"Email\" = 'student@portal.local' AND r.\"Status\" IN ('Queued', 'Running')");
            var allowed = 3 - (int)active;
            var starts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? onA : onB).PostRunAsync($"quota race {i}", RunConfigs.Slow(40))));
            var created = starts.Where(r => r.StatusCode == System.Net.HttpStatusCode.Created).ToList();
            output.WriteLine($"{starts.Length} starts at once through both web nodes with {allowed} slots free: {created.Count} queued");
            Assert.Equal(allowed, created.Count);
            foreach (var response in created)
                await onA.CancelRunAsync(System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32());

            var catalog = System.Text.Json.JsonDocument.Parse(await onA.Http.GetStringAsync("api/dataset/images")).RootElement;
            var image = catalog.EnumerateArray().First(e => e.GetProperty("split").GetString() == "Train" && e.GetProperty("label").GetString() == "Normal");
            var proposal = new Web.Proposals.ProposeRelabel(image.GetProperty("id").GetString()!, Core.Dataset.Label.Pneumonia, "virus", "Hazy both sides, looks viral to me");
            var proposals = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                (i % 2 == 0 ? onA : onB).Http.PostAsJsonAsync("api/relabel/proposals", proposal, PortalUser.Json)));
            Assert.Equal(1, proposals.Count(p => p.IsSuccessStatusCode));
            Assert.Equal(1, await nodes.Cluster.QueryAsync<long>(
                $"SELECT COUNT(*) FROM \"RelabelProposals\" WHERE \"RelativePath\" = '{image.GetProperty("path").GetString()}' AND \"Status\" = 'Open'"));
        }, output);

    static string Describe(LiveEpoch e) =>
        $"epoch {e.Epoch}: train loss {e.Train.Loss:R}, val loss {e.Validation.Loss:R}, val accuracy {e.Validation.Accuracy:R}, best {e.IsBest}";

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(100);
    }
}

/// <summary>Web nodes A and B and worker W on one cluster, started at once (their migrations must not collide).</summary>
public sealed class TwoWebNodesAndAWorker : IAsyncLifetime
{
    public PortalCluster Cluster { get; private set; } = default!;
    public PortalProcess A { get; private set; } = default!;
    public PortalProcess B { get; private set; } = default!;
    public PortalProcess W { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        // Nothing to start where the tests are skipped for want of PostgreSQL or Redis.
        if (ScaleOutRequirements.Problem(browser: false) is not null && !ScaleOutRequirements.Required) return;
        Cluster = await PortalCluster.StartAsync();
        var started = Stopwatch.StartNew();
        await Cluster.ExplainFailuresAsync(async () =>
        {
            var nodes = await Cluster.StartNodesAsync(("A", PortalRole.Web), ("B", PortalRole.Web), ("W", PortalRole.Worker));
            (A, B, W) = (nodes[0], nodes[1], nodes[2]);
        });
        Console.WriteLine($"Two web nodes and a worker ready in {started.Elapsed.TotalSeconds:0.0} s");
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}
