using System.Text.RegularExpressions;
using PneumoniaPortal.E2E.Tests.Browser;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>
/// A school runs its people from the browser: an admin invites an instructor, who signs up through the link and
/// creates a class; a student joins with its code and is removed from the roster; a person changes their password.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PeopleTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    static ILocator Field(IPage page, string testId) => page.Locator($"input[data-testid={testId}]").Or(page.GetByTestId(testId).Locator("input"));

    [Fact]
    public Task Admin_invites_an_instructor_who_signs_up_creates_a_class_and_removes_a_student_who_joined_it() => RunAsync(async () =>
    {
        var admin = await NewPageAsync();
        await SignInAsync(admin, DemoAdmin);
        await OpenAsync(admin, "admin/people");
        var email = $"invited-{Guid.NewGuid().ToString("N")[..8]}@portal.local";
        await Field(admin, "invite-email").FillAsync(email);
        // Leaving the field hands its value over as a person would; on a busy machine a click right after typing can
        // reach the page before the value does.
        await Field(admin, "invite-email").PressAsync("Tab");
        await Expect(admin.GetByTestId("invite-button")).ToBeEnabledAsync();
        await admin.GetByTestId("invite-button").ClickAsync();
        await Expect(admin.GetByTestId("issued-link-note")).ToContainTextAsync("Works once", new() { Timeout = 30_000 });
        var link = (await admin.GetByTestId("issued-link-url").InnerTextAsync()).Trim();
        Assert.Matches(new Regex(@"/Account/Invite\?user=[^&]+&code=\S+$"), link);
        await Expect(admin.Locator("tr.person-row", new() { HasText = email }).GetByTestId("person-status")).ToContainTextAsync("invited");

        // The instructor opens the link in their own browser and chooses a name and a password.
        var instructor = await NewPageAsync();
        await instructor.GotoAsync(link);
        await instructor.FillAsync("#name", "Invited Instructor");
        await instructor.FillAsync("#password", "Invited-pass-2026");
        await instructor.FillAsync("#confirm-password", "Invited-pass-2026");
        await instructor.GetByTestId("set-password").ClickAsync();
        await instructor.WaitForURLAsync(url => !url.Contains("/Account/", StringComparison.Ordinal));
        await WaitUntilInteractiveAsync(instructor);
        await Expect(instructor.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
        // The link was for one use.
        var again = await NewPageAsync();
        await again.GotoAsync(link);
        await Expect(again.GetByTestId("link-invalid")).ToBeVisibleAsync();

        // A class of their own, and its join code.
        await OpenAsync(instructor, "classes");
        var className = $"Invited class {Guid.NewGuid().ToString("N")[..6]}";
        await instructor.GetByLabel("Class name").FillAsync(className);
        await instructor.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var row = instructor.GetByTestId("class-list").Locator("tr", new() { HasText = className });
        await Expect(row.GetByTestId("class-join-code")).ToHaveTextAsync(new Regex("^[A-Z0-9]{6}$"));
        var code = (await row.GetByTestId("class-join-code").InnerTextAsync()).Trim();

        var student = await NewPageAsync();
        var studentEmail = $"joiner-{Guid.NewGuid().ToString("N")[..8]}@portal.local";
        await RegisterAsync(student, "Joining Student", studentEmail, "Student-pass-2026", code);

        // The roster shows them; removed, they lose the class (and its page says so to them).
        await row.GetByTestId("class-roster-link").ClickAsync();
        await instructor.WaitForURLAsync(new Regex(@"/classes/\d+/roster$"));
        var member = instructor.Locator("tr.roster-row", new() { HasText = studentEmail });
        await Expect(member).ToBeVisibleAsync();
        await member.GetByTestId("remove-member").ClickAsync();
        await member.GetByTestId("confirm-remove").ClickAsync();
        await Expect(member).ToHaveCountAsync(0);
        await OpenAsync(student, "classes");
        await Expect(student.GetByTestId("no-classes")).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_person_changes_their_password_and_signs_in_with_the_new_one() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        var email = $"changer-{Guid.NewGuid().ToString("N")[..8]}@portal.local";
        await RegisterAsync(page, "Password Changer", email, "Student-pass-2026", await Portal.Server.DemoJoinCodeAsync());

        await page.GetByTestId("my-account").ClickAsync();
        await page.WaitForURLAsync(new Regex("/Account/Manage$"));
        await page.GetByTestId("manage-nav-password").ClickAsync();
        await page.FillAsync("#old-password", "Student-pass-2026");
        await page.FillAsync("#new-password", "Changed-pass-2027");
        await page.FillAsync("#confirm-password", "Changed-pass-2027");
        await page.GetByTestId("change-password").ClickAsync();
        await Expect(page.GetByTestId("status-message")).ToContainTextAsync("Your password was changed");

        var fresh = await NewPageAsync();
        await fresh.GotoAsync("Account/Login");
        await SubmitSignInAsync(fresh, email, "Student-pass-2026");
        await Expect(fresh.GetByTestId("login-error")).ToBeVisibleAsync();
        await SignInAsync(fresh, email, "Changed-pass-2027");
        await Expect(fresh.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    });
}
