using System.Diagnostics;
using System.Text.Json;
using PneumoniaPortal.E2E.Tests.Browser;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>Its own portal, so the circuits of other tests neither count nor weigh in the figures.</summary>
[CollectionDefinition(Name)]
public sealed class CircuitMemoryCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Circuit memory, own portal";
}

[Collection(CircuitMemoryCollection.Name)]
public sealed class CircuitMemoryTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    const int Circuits = 50, Contexts = 5;

    [Fact]
    public Task Fifty_interactive_circuits_stay_live_and_the_portal_memory_they_cost_is_recorded() => RunAsync(async () =>
    {
        var count = Portal.Server.Circuits;

        // Warm-up (JIT, EF Core model, first renders), so "before" is a running portal rather than a cold one.
        var total = Stopwatch.StartNew();
        var warm = await NewPageAsync();
        await SignInAsync(warm, DemoStudent);
        await OpenAsync(warm, "classes");
        await warm.CloseAsync();
        await WaitForAsync(() => count.Connected == 0, TimeSpan.FromSeconds(15));
        var warmUp = total.Elapsed;
        var before = PortalMemory.Measure();

        var opening = Stopwatch.StartNew();
        var pages = (await Task.WhenAll(Enumerable.Range(0, Contexts).Select(_ => OpenSignedInPagesAsync(Circuits / Contexts))))
            .SelectMany(p => p).ToList();
        opening.Stop();
        await WaitForAsync(() => count.Connected == Circuits, TimeSpan.FromSeconds(15));
        var after = PortalMemory.Measure();

        Assert.Equal(Circuits, pages.Count);
        Assert.Equal(Circuits, count.Connected);
        Output.WriteLine($"{Circuits} circuits open after {opening.Elapsed.TotalSeconds:0.0} s; {count.Connected} connected to the portal");
        // Every circuit still answers a click after the measurement.
        var rechecking = Stopwatch.StartNew();
        // All at once: a background tab polls at most once a second, so one after another would take minutes.
        await Task.WhenAll(pages.Select(page => WaitUntilInteractiveAsync(page, timeoutMs: 60_000)));
        rechecking.Stop();
        Output.WriteLine($"All {Circuits} answered a click again in {rechecking.Elapsed.TotalSeconds:0.0} s");

        // The portal still serves a new visitor: a page loads in a 51st context.
        var visitor = await NewPageAsync();
        await SignInAsync(visitor, DemoStudent);
        await OpenAsync(visitor, "classes");
        await Expect(visitor.GetByTestId("class-list").Locator("tr", new() { HasText = DemoClass })).ToBeVisibleAsync();

        var report = new
        {
            circuits = Circuits,
            browserContexts = Contexts,
            pages = "signed in as the demo student; half on /, half on /classes",
            warmUpSeconds = Math.Round(warmUp.TotalSeconds, 1),
            openingSeconds = Math.Round(opening.Elapsed.TotalSeconds, 1),
            recheckingSeconds = Math.Round(rechecking.Elapsed.TotalSeconds, 1),
            totalSeconds = Math.Round(total.Elapsed.TotalSeconds, 1),
            before,
            after,
            managedBytesPerCircuit = (after.ManagedBytes - before.ManagedBytes) / Circuits,
            gcHeapBytesPerCircuit = (after.GcHeapBytes - before.GcHeapBytes) / Circuits,
            workingSetBytesPerCircuit = (after.WorkingSetBytes - before.WorkingSetBytes) / Circuits,
            note = "Measured in the test process, which hosts the portal (plus xunit and the Playwright client); " +
                   "Chromium's own memory is in its separate processes and is not included.",
        };
        var file = Path.Combine(TestResultsFolder.Path, "circuit-memory.json");
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(file, json);
        Output.WriteLine(json);
        Output.WriteLine($"Circuit memory figures written to {file}");
        Console.WriteLine($"Circuit memory: {Circuits} circuits, managed +{MiB(after.ManagedBytes - before.ManagedBytes)} MiB " +
                          $"({report.managedBytesPerCircuit / 1024} KiB each), working set +{MiB(after.WorkingSetBytes - before.WorkingSetBytes)} MiB " +
                          $"({report.workingSetBytesPerCircuit / 1024} KiB each); written to {file}");
    });

    async Task<List<IPage>> OpenSignedInPagesAsync(int n)
    {
        var context = await NewContextAsync();
        var first = await context.NewPageAsync();
        await SignInAsync(first, DemoStudent);
        var pages = new List<IPage> { first };
        for (var i = 1; i < n; i++)
        {
            var page = await context.NewPageAsync();
            await OpenAsync(page, i % 2 == 1 ? "classes" : "");
            pages.Add(page);
        }
        return pages;
    }

    static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(100);
    }

    static double MiB(long bytes) => Math.Round(bytes / 1048576.0, 1);
}

/// <summary>The test process's memory after a full collection: managed objects, GC heap, and resident set.</summary>
public sealed record PortalMemory(long ManagedBytes, long GcHeapBytes, long WorkingSetBytes)
{
    public static PortalMemory Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new PortalMemory(managed, GC.GetGCMemoryInfo().HeapSizeBytes, process.WorkingSet64);
    }
}
