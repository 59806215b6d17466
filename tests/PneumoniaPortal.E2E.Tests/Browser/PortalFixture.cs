using PneumoniaPortal.E2E.Tests.Host;

namespace PneumoniaPortal.E2E.Tests.Browser;

/// <summary>One portal and one headless Chromium for a test collection; each test opens its own browser contexts.</summary>
public sealed class PortalFixture : IAsyncLifetime
{
    IPlaywright? _playwright;
    IBrowser? _browser;

    public PortalServer Server { get; } = new();
    public Uri BaseAddress { get; private set; } = default!;
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        // Checked first so a machine without Chromium fails in a second with the fix, not after starting the portal.
        var chromium = Chromium.ExecutablePath();
        BaseAddress = Server.BaseAddress;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) whose relative URLs resolve against the portal.</summary>
    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new()
    {
        BaseURL = BaseAddress.ToString(),
        ViewportSize = new() { Width = 1280, Height = 800 },
    });

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Tests that share one portal and one browser; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Portal in a browser";
}

static class Chromium
{
    const string Default = "/usr/bin/chromium";

    /// <summary>PORTAL_CHROMIUM or Debian's Chromium; the tests never download a browser.</summary>
    public static string ExecutablePath()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM");
        var path = string.IsNullOrWhiteSpace(configured) ? Default : configured;
        if (File.Exists(path)) return path;
        throw new InvalidOperationException(
            $"The browser tests need Chromium, and there is none at {path}. Install it with `sudo apt-get install -y chromium` " +
            "(Debian; .ci/run does this), or set PORTAL_CHROMIUM to a Chromium or Chrome executable. " +
            "The tests never download a browser (do not run `playwright install`).");
    }
}
