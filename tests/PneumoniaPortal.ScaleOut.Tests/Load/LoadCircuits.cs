namespace PneumoniaPortal.ScaleOut.Tests.Load;

/// <summary>
/// Real Blazor circuits: pages of a run in headless Chromium (Debian's, or PORTAL_CHROMIUM; never downloaded), signed
/// in by the students' own cookies, each confirmed interactive. Plain HTTP GETs only prerender and open no circuit.
/// </summary>
public sealed class LoadCircuits : IAsyncDisposable
{
    const string DefaultChromium = "/usr/bin/chromium";
    const int OpeningAtOnce = 3;
    IPlaywright? _playwright;
    IBrowser? _browser;
    readonly List<IPage> _pages = [];
    readonly List<double> _openMs = [];

    public IReadOnlyList<IPage> Pages => _pages;

    /// <summary>Milliseconds from opening each page to its circuit answering a click.</summary>
    public IReadOnlyList<double> OpenMs => _openMs;

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
    /// pages opened one after another), each on one of the runs, at most <see cref="OpeningAtOnce"/> pages loading at
    /// a time: on two cores, ten at once left Chromium itself (not the portal: about a fifth of the CPU) so starved
    /// that a page could take over 30 s to start its circuit.
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
        using var loading = new SemaphoreSlim(OpeningAtOnce);
        await Task.WhenAll(students.Select(async (student, s) =>
        {
            var context = await _browser.NewContextAsync(new() { BaseURL = student.Node.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
            context.SetDefaultTimeout(60_000);
            await context.AddCookiesAsync(student.Cookies.Select(c => new Microsoft.Playwright.Cookie
            {
                Name = c.Name, Value = c.Value, Domain = student.Node.BaseAddress.Host, Path = "/", HttpOnly = c.HttpOnly,
            }));
            for (var i = 0; i < perContext && s * perContext + i < count; i++)
            {
                ct.ThrowIfCancellationRequested();
                await loading.WaitAsync(ct);
                try
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var page = await context.NewPageAsync();
                    lock (_pages) _pages.Add(page);
                    await page.GotoAsync($"runs/{runs[(s * perContext + i) % runs.Count]}");
                    await BlazorCircuit.WaitUntilInteractiveAsync(page, timeoutMs: 60_000);
                    lock (_pages) _openMs.Add(Math.Round(clock.Elapsed.TotalMilliseconds, 1));
                }
                finally { loading.Release(); }
            }
        }));
    }

    /// <summary>One page at the end: how long its circuit took to answer a click (null: not within the timeout), and what Blazor's reconnect UI says.</summary>
    public sealed record CircuitCheck(string Url, double? ClickAnsweredMs, bool EverDisconnected, string State)
    {
        public bool Answers => ClickAnsweredMs is not null;
    }

    /// <summary>
    /// Every page at once: one click on the menu button, answered when the circuit has toggled the drawer (pages
    /// proven interactive before never lose a click, so one click and a long wait, no retries that could toggle it
    /// back); and whether Blazor ever showed its reconnect UI (it adds #components-reconnect-modal the first time the
    /// circuit's connection drops).
    /// </summary>
    public async Task<IReadOnlyList<CircuitCheck>> CheckAsync(float timeoutMs)
    {
        return await Task.WhenAll(_pages.Select(async page =>
        {
            double? answeredMs = null;
            try
            {
                var wasOpen = await BlazorCircuit.DrawerOpenAsync(page, TimeSpan.FromMilliseconds(timeoutMs));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await page.ClickAsync("button[aria-label=menu]", new() { Timeout = timeoutMs });
                await page.WaitForFunctionAsync("() => " + BlazorCircuit.DrawerOpenScript + (wasOpen ? " === false" : " === true"), null,
                    new() { Timeout = Math.Max(1_000, timeoutMs - (float)clock.Elapsed.TotalMilliseconds), PollingInterval = 50 });
                answeredMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            }
            catch (Exception e) when (e is TimeoutException or PlaywrightException) { }
            string state;
            try { state = await page.EvaluateAsync<string>(ReconnectState).WaitAsync(TimeSpan.FromSeconds(10)); }
            catch (Exception e) when (e is TimeoutException or PlaywrightException) { state = "page unreadable: " + e.Message; }
            return new CircuitCheck(page.Url, answeredMs, !state.Contains("never disconnected"), state);
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
            try { all.AddRange(await page.EvaluateAsync<double[]>("() => window.portalLive?.latencies ?? []").WaitAsync(TimeSpan.FromSeconds(5))); }
            catch (Exception e) when (e is TimeoutException or PlaywrightException) { }
        return all;
    }

    public async ValueTask DisposeAsync()
    {
        // Bounded: a starved browser must not hold the test; disposing Playwright ends its driver and the browser.
        if (_browser is not null)
            try { await _browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(15)); }
            catch (Exception e) when (e is TimeoutException or PlaywrightException) { }
        _playwright?.Dispose();
        _playwright = null;
        _browser = null;
    }
}
