using System.Text.RegularExpressions;
using PneumoniaPortal.E2E.Tests.Browser;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

[Collection(PortalCollection.Name)]
public sealed class ClassesTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    [Fact]
    public Task New_student_registers_with_the_code_the_instructor_sees_and_joins_a_second_class_from_the_classes_page() => RunAsync(async () =>
    {
        var instructor = await NewPageAsync();
        await SignInAsync(instructor, DemoInstructor);
        await OpenAsync(instructor, "classes");
        var demoRow = instructor.GetByTestId("class-list").Locator("tr", new() { HasText = DemoClass });
        await Expect(demoRow.GetByTestId("class-join-code")).ToHaveTextAsync(new Regex("^[A-Z0-9]{6}$"));
        var joinCode = (await demoRow.GetByTestId("class-join-code").InnerTextAsync()).Trim();
        var second = $"E2E second class {Guid.NewGuid().ToString("N")[..6]}";
        await instructor.GetByLabel("Class name").FillAsync(second);
        await instructor.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var secondRow = instructor.GetByTestId("class-list").Locator("tr", new() { HasText = second });
        await Expect(secondRow.GetByTestId("class-join-code")).ToHaveTextAsync(new Regex("^[A-Z0-9]{6}$"));
        var secondCode = (await secondRow.GetByTestId("class-join-code").InnerTextAsync()).Trim();
        Output.WriteLine($"The instructor sees join codes {joinCode} and {secondCode}");

        // Registration needs a class's code: a wrong one creates nothing and says nothing about which codes exist.
        var student = await NewPageAsync();
        var email = $"new-student-{Guid.NewGuid().ToString("N")[..8]}@portal.local";
        await student.GotoAsync("Account/Register");
        await student.FillAsync("#name", "New Student");
        await student.FillAsync("#email", email);
        await student.FillAsync("#password", "Student-pass-2026");
        await student.FillAsync("#joincode", "WRONG9");
        await student.ClickAsync("form button[type=submit]");
        await Expect(student.GetByTestId("register-error")).ToContainTextAsync("That join code was not accepted");
        await student.FillAsync("#password", "Student-pass-2026");
        await student.FillAsync("#joincode", joinCode);
        await student.ClickAsync("form button[type=submit]");
        await student.WaitForURLAsync(url => !url.Contains("/Account/Register"));
        await WaitUntilInteractiveAsync(student);
        await Expect(student.GetByTestId("signed-in-as")).ToHaveTextAsync(email);

        await OpenAsync(student, "classes");
        await Expect(student.GetByTestId("class-list").Locator("tr", new() { HasText = DemoClass }).GetByTestId("class-role")).ToHaveTextAsync("Student");
        await student.GetByTestId("join-code").Locator("input").Or(student.Locator("input[data-testid=join-code]")).FillAsync(secondCode);
        await student.Keyboard.PressAsync("Tab");
        await student.GetByTestId("join-class").ClickAsync();

        await Expect(student.GetByText($"You joined {second}.")).ToBeVisibleAsync();
        var joined = student.GetByTestId("class-list").Locator("tr", new() { HasText = second });
        await Expect(joined.GetByTestId("class-role")).ToHaveTextAsync("Student");

        // Still there on a fresh load: the membership was saved, not only shown.
        await OpenAsync(student, "classes");
        await Expect(student.GetByTestId("class-list").Locator("tr", new() { HasText = second })).ToBeVisibleAsync();
    });
}
