namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// Headless Chromium (Debian's, or PORTAL_CHROMIUM; never downloaded), one per test process, and the browser steps
/// the scale-out tests share: open a signed-in page on a node, wait for its Blazor circuit. Each page gets its own
/// browser context (its own cookies); dispose the returned context to close it.
/// </summary>
public static class PortalBrowser
{
    static readonly SemaphoreSlim Lock = new(1, 1);
    static IPlaywright? _playwright;
    static IBrowser? _browser;

    public static async Task<IBrowser> SharedAsync()
    {
        await Lock.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true }) return _browser;
            ScaleOutRequirements.Ensure(browser: true);
            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ScaleOutRequirements.Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            });
            return _browser;
        }
        finally { Lock.Release(); }
    }

    /// <summary>Closes the shared browser (the next <see cref="SharedAsync"/> starts a new one).</summary>
    public static async Task DisposeSharedAsync()
    {
        await Lock.WaitAsync();
        try
        {
            if (_browser is not null) await _browser.CloseAsync();
            _browser = null;
            _playwright?.Dispose();
            _playwright = null;
        }
        finally { Lock.Release(); }
    }

    /// <summary>A page in a fresh browser context whose relative URLs resolve against <paramref name="node"/>.</summary>
    public static async Task<IPage> NewPageAsync(PortalProcess node)
    {
        var browser = await SharedAsync();
        var context = await browser.NewContextAsync(new() { BaseURL = node.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new page signed in as <paramref name="email"/> on <paramref name="node"/>'s sign-in form.</summary>
    public static async Task<IPage> SignedInPageAsync(PortalProcess node, string email, string password = PortalCluster.Password)
    {
        var page = await NewPageAsync(node);
        await page.GotoAsync("Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await WaitUntilInteractiveAsync(page);
        return page;
    }

    /// <summary>Opens a portal page and waits for its Blazor circuit.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>
    /// Waits for the page and blazor.web.js, then for proof that the circuit is connected: the menu button toggles the
    /// drawer (a click before the circuit connects does nothing, so it is retried with growing patience). The drawer
    /// is put back as it was. Copied from the browser tests' PortalPages.
    /// </summary>
    public static async Task WaitUntilInteractiveAsync(IPage page, float timeoutMs = 30_000)
    {
        await page.Locator(".mud-appbar").WaitForAsync(new() { Timeout = timeoutMs });
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, new() { Timeout = timeoutMs, PollingInterval = 50 });
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var wasOpen = await DrawerOpenAsync(page);
        for (var patience = 1_000f; !await ClickMenuUntilDrawerAsync(page, open: !wasOpen, patience); patience *= 1.5f)
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"{page.Url} did not become interactive in {timeoutMs / 1000:0} s: the menu button never toggled the drawer.");
        await page.WaitForTimeoutAsync(200);
        if (await DrawerOpenAsync(page) != wasOpen) await ClickMenuUntilDrawerAsync(page, wasOpen, 5_000);
    }

    static async Task<bool> ClickMenuUntilDrawerAsync(IPage page, bool open, float patienceMs)
    {
        await page.ClickAsync("button[aria-label=menu]");
        try
        {
            await page.WaitForFunctionAsync(DrawerOpenScript + (open ? " === true" : " === false"), null,
                new() { Timeout = patienceMs, PollingInterval = 50 });
            return true;
        }
        catch (TimeoutException) { return false; }
    }

    const string DrawerOpenScript = "document.querySelector('.mud-drawer').classList.contains('mud-drawer--open')";

    static Task<bool> DrawerOpenAsync(IPage page) => page.EvaluateAsync<bool>(DrawerOpenScript);

    /// <summary>Saves a screenshot of <paramref name="page"/> next to the logs; its path, or null when the page is gone.</summary>
    public static async Task<string?> ScreenshotAsync(IPage page, string name)
    {
        var file = Path.Combine(ScratchFolders.Logs, $"{DateTime.Now:HHmmss}-{name}.png");
        try
        {
            await page.ScreenshotAsync(new() { Path = file, FullPage = true, Timeout = 10_000 });
            return file;
        }
        catch (PlaywrightException) { return null; }
    }
}
