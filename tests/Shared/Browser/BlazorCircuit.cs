namespace PneumoniaPortal.Tests.Shared.Browser;

/// <summary>
/// Proof that a portal page's Blazor circuit is connected, for the browser tests and the scale-out tests (linked into
/// both; the other test projects have no Playwright). The menu button toggles the drawer only once the circuit is
/// connected, so a toggle proves the page interactive.
/// </summary>
public static class BlazorCircuit
{
    public const string DrawerOpenScript = "document.querySelector('.mud-drawer').classList.contains('mud-drawer--open')";

    /// <summary>
    /// Waits for the prerendered page, for blazor.web.js, then for the menu button to toggle the drawer. A click before
    /// the circuit connects does nothing, so it is retried, with growing patience because a late click may still be on
    /// its way; then the drawer is put back as it was.
    /// </summary>
    public static async Task WaitUntilInteractiveAsync(IPage page, float timeoutMs = 30_000)
    {
        await page.Locator(".mud-appbar").WaitForAsync(new() { Timeout = timeoutMs });
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, new() { Timeout = timeoutMs, PollingInterval = 50 });
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var wasOpen = await DrawerOpenAsync(page, TimeSpan.FromMilliseconds(timeoutMs));
        for (var patience = 1_000f; !await ToggleDrawerAsync(page, open: !wasOpen, patience); patience *= 1.5f)
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"{page.Url} did not become interactive in {timeoutMs / 1000:0} s: the menu button never toggled the drawer.");
        // Putting the drawer back is cosmetic (screenshots); a click still in flight may undo it, so it is not required.
        await page.WaitForTimeoutAsync(200);
        if (await DrawerOpenAsync(page, TimeSpan.FromSeconds(5)) != wasOpen) await ToggleDrawerAsync(page, wasOpen, 5_000);
    }

    /// <summary>Bounded: a starved browser must not hold a test in an evaluation.</summary>
    public static Task<bool> DrawerOpenAsync(IPage page, TimeSpan timeout) => page.EvaluateAsync<bool>(DrawerOpenScript).WaitAsync(timeout);

    /// <summary>One click on the menu button, then up to <paramref name="patienceMs"/> for the drawer to be <paramref name="open"/>.</summary>
    static async Task<bool> ToggleDrawerAsync(IPage page, bool open, float patienceMs)
    {
        try
        {
            // A click during the switch from prerendered to interactive may wait for a navigation: retried, not fatal.
            await page.ClickAsync("button[aria-label=menu]", new() { Timeout = 10_000 });
            // Timer polling, not the default animation frames: a tab in the background gets no frames.
            await page.WaitForFunctionAsync("() => " + DrawerOpenScript + (open ? " === true" : " === false"), null,
                new() { Timeout = patienceMs, PollingInterval = 50 });
            return true;
        }
        catch (TimeoutException) { return false; }
    }
}
