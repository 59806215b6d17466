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
        await BlazorCircuit.WaitUntilInteractiveAsync(page);
        return page;
    }

    /// <summary>Opens a portal page and waits for its Blazor circuit.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await BlazorCircuit.WaitUntilInteractiveAsync(page);
    }

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
