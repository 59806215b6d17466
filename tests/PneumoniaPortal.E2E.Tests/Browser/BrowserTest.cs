using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace PneumoniaPortal.E2E.Tests.Browser;

/// <summary>
/// A browser test: every page it opens gets a fresh browser context (its own cookies), and when the test fails a
/// screenshot of each open page is saved under TestResults/screenshots so a CI failure can be seen.
/// Subclasses name their collection (<see cref="PortalCollection"/>), which gives them the portal and the browser.
/// Every page runs under the portal's Content-Security-Policy: a test whose pages break it (an inline script, a
/// handler, an eval) fails, so the policy and the pages stay compatible.
/// </summary>
public abstract class BrowserTest(PortalFixture portal, ITestOutputHelper output) : IAsyncLifetime
{
    readonly List<IBrowserContext> _contexts = [];
    readonly ConcurrentQueue<string> _cspViolations = new();
    readonly List<(Host.PortalServer Server, IBrowserContext Context)> _onServers = [];

    /// <summary>
    /// Closes the pages a test opened on a portal of its own, before that portal stops: a portal stopping under live
    /// Blazor circuits may wait for them past its shutdown timeout.
    /// </summary>
    protected async Task LeaveAsync(Host.PortalServer server)
    {
        List<IBrowserContext> contexts;
        lock (_onServers) contexts = _onServers.Where(x => x.Server == server).Select(x => x.Context).ToList();
        foreach (var context in contexts) await context.CloseAsync();
    }

    /// <summary>What the Content-Security-Policy refused on any page of this test so far (Chromium reports each on the console).</summary>
    protected IReadOnlyCollection<string> CspViolations => _cspViolations.ToArray();

    protected PortalFixture Portal => portal;
    protected ITestOutputHelper Output => output;

    public Task InitializeAsync()
    {
        // The CI machine has 2 shared cores: give the portal time, not flakiness.
        SetDefaultExpectTimeout(15_000);
        return Task.CompletedTask;
    }

    /// <summary>A page in a new, signed-out browser context.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        var context = await NewContextAsync();
        return await context.NewPageAsync();
    }

    protected async Task<IBrowserContext> NewContextAsync()
    {
        var context = await portal.NewContextAsync();
        Watch(context);
        return context;
    }

    void Watch(IBrowserContext context)
    {
        context.SetDefaultTimeout(30_000);
        context.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                _cspViolations.Enqueue($"{message.Location}: {message.Text}");
        };
        lock (_contexts) _contexts.Add(context);
    }

    /// <summary>
    /// A signed-in page on a portal the test started itself (a planted data set, a clean portal for the guides). Like
    /// every page it is screenshotted when the test fails and closed when the test ends.
    /// </summary>
    protected async Task<IPage> SignedInOnAsync(Host.PortalServer server, string who, int width = 1280, int height = 800)
    {
        var context = await portal.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        Watch(context);
        lock (_onServers) _onServers.Add((server, context));
        var page = await context.NewPageAsync();
        await PortalPages.SignInAsync(page, who);
        return page;
    }

    /// <summary>Runs the test's steps; on failure, saves screenshots first, then fails with the original error.</summary>
    protected async Task RunAsync(Func<Task> steps, [CallerMemberName] string test = "")
    {
        try
        {
            await steps();
            Assert.True(_cspViolations.IsEmpty, $"A page broke the portal's Content-Security-Policy: {string.Join(" | ", _cspViolations)}");
        }
        catch (Exception)
        {
            await SaveScreenshotsAsync(test);
            throw;
        }
    }

    async Task SaveScreenshotsAsync(string test)
    {
        var folder = Path.Combine(TestResultsFolder.Path, "screenshots");
        Directory.CreateDirectory(folder);
        var n = 0;
        // A handful is enough to see what went wrong, even when a test holds 50 pages.
        foreach (var page in _contexts.SelectMany(c => c.Pages).Take(6).ToList())
        {
            var file = Path.Combine(folder, $"{test}-{++n}.png");
            try
            {
                await page.ScreenshotAsync(new() { Path = file, FullPage = true, Timeout = 10_000 });
                output.WriteLine($"Screenshot of {page.Url}: {file}");
            }
            catch (PlaywrightException e) { output.WriteLine($"No screenshot of {page.Url}: {e.Message}"); }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
    }
}
