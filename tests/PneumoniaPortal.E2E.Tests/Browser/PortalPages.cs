using PneumoniaPortal.E2E.Tests.Host;

namespace PneumoniaPortal.E2E.Tests.Browser;

/// <summary>What a person does in the portal, in browser steps shared by the tests.</summary>
public static class PortalPages
{
    public const string DemoStudent = "student@portal.local";
    public const string DemoInstructor = "instructor@portal.local";
    public const string DemoAdmin = "admin@portal.local";
    public const string DemoClass = "Demo class: pediatric chest X-rays";

    /// <summary>Fills the static sign-in form and waits until the page it leads to is interactive.</summary>
    public static async Task SignInAsync(IPage page, string email, string password = PortalServer.Password)
    {
        await page.GotoAsync("Account/Login");
        await SubmitSignInAsync(page, email, password);
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await WaitUntilInteractiveAsync(page);
    }

    public static async Task SubmitSignInAsync(IPage page, string email, string password)
    {
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("form button[type=submit]");
    }

    /// <summary>Opens a portal page and waits for its Blazor circuit.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>
    /// Waits for the prerendered page, for blazor.web.js, then for proof that the circuit is connected: the menu button
    /// toggles the drawer. A click before the circuit connects does nothing, so it is retried, with growing patience
    /// because a late click may still be on its way; then the drawer is put back as it was.
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
        // Putting the drawer back is cosmetic (screenshots); a click still in flight may undo it, so it is not required.
        await page.WaitForTimeoutAsync(200);
        if (await DrawerOpenAsync(page) != wasOpen) await ClickMenuUntilDrawerAsync(page, wasOpen, 5_000);
    }

    static async Task<bool> ClickMenuUntilDrawerAsync(IPage page, bool open, float patienceMs)
    {
        await page.ClickAsync("button[aria-label=menu]");
        try
        {
            // Timer polling, not the default animation frames: a tab in the background gets no frames.
            await page.WaitForFunctionAsync(DrawerOpenScript + (open ? " === true" : " === false"), null,
                new() { Timeout = patienceMs, PollingInterval = 50 });
            return true;
        }
        catch (TimeoutException) { return false; }
    }

    const string DrawerOpenScript = "document.querySelector('.mud-drawer').classList.contains('mud-drawer--open')";

    static Task<bool> DrawerOpenAsync(IPage page) => page.EvaluateAsync<bool>(DrawerOpenScript);
}
