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

    /// <summary>Registers a new student on the register page with a class's join code and waits for the page it leads to.</summary>
    public static async Task RegisterAsync(IPage page, string name, string email, string password, string joinCode)
    {
        await page.GotoAsync("Account/Register");
        await page.FillAsync("#name", name);
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.FillAsync("#joincode", joinCode);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Register", StringComparison.Ordinal));
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

    /// <summary>Waits until the page's Blazor circuit answers (the shared <see cref="BlazorCircuit"/> proof).</summary>
    public static Task WaitUntilInteractiveAsync(IPage page, float timeoutMs = 30_000) => BlazorCircuit.WaitUntilInteractiveAsync(page, timeoutMs);
}
