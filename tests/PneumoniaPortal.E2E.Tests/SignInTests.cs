using System.Text.RegularExpressions;
using PneumoniaPortal.E2E.Tests.Browser;
using PneumoniaPortal.E2E.Tests.Host;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

[Collection(PortalCollection.Name)]
public sealed class SignInTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    [Fact]
    public Task Demo_student_signs_in_and_sees_the_home_page_with_their_email_in_the_app_bar() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await SignInAsync(page, DemoStudent);

        Assert.Equal(Portal.BaseAddress.AbsolutePath, new Uri(page.Url).AbsolutePath);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(DemoStudent);
    });

    [Fact]
    public Task Anonymous_visitor_opening_classes_lands_on_the_sign_in_page() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await page.GotoAsync("classes");

        await Expect(page).ToHaveURLAsync(new Regex(@"/Account/Login\?ReturnUrl=(%2F|/)?classes$", RegexOptions.IgnoreCase));
        await Expect(page.Locator("#email")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);

        // Signing in there leads back to the page they asked for.
        await SubmitSignInAsync(page, DemoStudent, PortalServer.Password);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/classes");
        await WaitUntilInteractiveAsync(page);
        await Expect(page.GetByTestId("class-list")).ToContainTextAsync(DemoClass);
    });

    [Fact]
    public Task Wrong_password_shows_the_error_and_stays_on_the_sign_in_page() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await page.GotoAsync("Account/Login");
        await SubmitSignInAsync(page, DemoAdmin, "Not-the-password-1");

        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("do not match an account");
        Assert.Contains("/Account/Login", page.Url);
        await Expect(page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Signing_out_returns_to_the_sign_in_page_and_closes_the_portal() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await SignInAsync(page, DemoStudent);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Account/Login"));
        await Expect(page.Locator("#email")).ToBeVisibleAsync();

        await page.GotoAsync("classes");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
    });
}
