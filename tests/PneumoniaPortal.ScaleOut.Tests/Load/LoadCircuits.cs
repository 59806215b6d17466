namespace PneumoniaPortal.ScaleOut.Tests.Load;

/// <summary>
/// Real Blazor circuits: pages of a run in headless Chromium (Debian's, or PORTAL_CHROMIUM; never downloaded), signed
/// in by the students' own cookies, each confirmed interactive. Plain HTTP GETs only prerender and open no circuit.
/// </summary>
public sealed class LoadCircuits : IAsyncDisposable
{
    const string DefaultChromium = "/usr/bin/chromium";
    IPlaywright? _playwright;
    IBrowser? _browser;
    readonly List<IPage> _pages = [];

    public IReadOnlyList<IPage> Pages => _pages;

    public static string ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM");
        var path = string.IsNullOrWhiteSpace(configured) ? DefaultChromium : configured;
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"The load test opens Blazor circuits in Chromium and there is none at {path}. Install it " +
                                                  "(`sudo apt-get install -y chromium`), set PORTAL_CHROMIUM, or set PORTAL_LOAD_CIRCUITS=0.");
    }

    /// <summary>
    /// Opens <paramref name="count"/> pages spread over the students' browser contexts (one context per student, its
    /// pages opened one after another, the contexts in parallel), each on one of the runs.
    /// </summary>
    public async Task OpenAsync(IReadOnlyList<LoadStudent> students, IReadOnlyList<int> runs, int count, CancellationToken ct)
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var perContext = (int)Math.Ceiling(count / (double)students.Count);
        await Task.WhenAll(students.Select(async (student, s) =>
        {
            var context = await _browser.NewContextAsync(new() { BaseURL = student.Node.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
            context.SetDefaultTimeout(30_000);
            await context.AddCookiesAsync(student.Cookies.Select(c => new Microsoft.Playwright.Cookie
            {
                Name = c.Name, Value = c.Value, Domain = student.Node.BaseAddress.Host, Path = "/", HttpOnly = c.HttpOnly,
            }));
            for (var i = 0; i < perContext && s * perContext + i < count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var page = await context.NewPageAsync();
                lock (_pages) _pages.Add(page);
                await page.GotoAsync($"runs/{runs[(s * perContext + i) % runs.Count]}");
                await WaitUntilInteractiveAsync(page);
            }
        }));
    }

    /// <summary>One page at the end: whether it still answers a click, and what Blazor's reconnect UI says.</summary>
    public sealed record CircuitCheck(string Url, bool Answers, bool EverDisconnected, string State);

    /// <summary>
    /// Every page at once (background tabs are slow): does it still answer a click, and did Blazor ever show its
    /// reconnect UI (it adds #components-reconnect-modal to the page the first time the circuit's connection drops).
    /// </summary>
    public async Task<IReadOnlyList<CircuitCheck>> CheckAsync(float timeoutMs)
    {
        return await Task.WhenAll(_pages.Select(async page =>
        {
            bool answers;
            try { await WaitUntilInteractiveAsync(page, timeoutMs); answers = true; }
            catch (Exception e) when (e is TimeoutException or PlaywrightException) { answers = false; }
            string state;
            try { state = await page.EvaluateAsync<string>(ReconnectState); }
            catch (PlaywrightException e) { state = "page unreadable: " + e.Message; }
            return new CircuitCheck(page.Url, answers, !state.Contains("never disconnected"), state);
        }));
    }

    const string ReconnectState = """
        () => {
          const host = document.getElementById('components-reconnect-modal');
          const overlay = host?.shadowRoot?.querySelector('.components-reconnect-overlay');
          const text = host?.shadowRoot?.querySelector('p')?.innerText ?? '';
          const ui = !host ? 'never disconnected'
            : overlay?.classList.contains('components-reconnect-visible') ? 'reconnect UI shown: ' + text
            : 'reconnected after a drop';
          return `${ui}; tab ${document.visibilityState}; ${document.querySelectorAll('[data-testid=run-name]').length ? 'run page' : 'no run name'}`;
        }
        """;

    /// <summary>What the run pages' own script measured: milliseconds from an epoch's send to its point on the chart.</summary>
    public async Task<List<double>> EpochLatenciesAsync()
    {
        var all = new List<double>();
        foreach (var page in _pages)
            try { all.AddRange(await page.EvaluateAsync<double[]>("() => window.portalLive?.latencies ?? []")); }
            catch (PlaywrightException) { }
        return all;
    }

    /// <summary>
    /// The menu button toggles the drawer only once the circuit is connected, so a toggle proves the page interactive;
    /// a click that came too early is retried with growing patience (as the browser tests do).
    /// </summary>
    static async Task WaitUntilInteractiveAsync(IPage page, float timeoutMs = 30_000)
    {
        await page.Locator(".mud-appbar").WaitForAsync(new() { Timeout = timeoutMs });
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, new() { Timeout = timeoutMs, PollingInterval = 50 });
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var wasOpen = await page.EvaluateAsync<bool>(DrawerOpen);
        for (var patience = 1_000f; !await ToggleAsync(page, !wasOpen, patience); patience *= 1.5f)
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"{page.Url} did not become interactive in {timeoutMs / 1000:0} s.");
        // Putting the drawer back is cosmetic; a click still in flight may undo it, so it is not required.
        await page.WaitForTimeoutAsync(200);
        if (await page.EvaluateAsync<bool>(DrawerOpen) != wasOpen) await ToggleAsync(page, wasOpen, 5_000);
    }

    static async Task<bool> ToggleAsync(IPage page, bool open, float patienceMs)
    {
        try
        {
            // A click during the switch from prerendered to interactive may wait for a navigation: retried, not fatal.
            await page.ClickAsync("button[aria-label=menu]", new() { Timeout = 10_000 });
            await page.WaitForFunctionAsync(DrawerOpen + (open ? " === true" : " === false"), null, new() { Timeout = patienceMs, PollingInterval = 50 });
            return true;
        }
        catch (TimeoutException) { return false; }
    }

    const string DrawerOpen = "document.querySelector('.mud-drawer').classList.contains('mud-drawer--open')";

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
