using System.Text.RegularExpressions;
using PneumoniaPortal.E2E.Tests.Browser;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>Issue 17: the class view of a new class with two students and four runs, as its instructor and as a student see it.</summary>
[Collection(PortalCollection.Name)]
public sealed class DashboardTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    [Fact]
    public Task The_instructor_sees_both_students_and_the_pooled_chart_and_a_student_sees_only_their_row() => RunAsync(async () =>
    {
        var instructor = await NewPageAsync();
        await SignInAsync(instructor, DemoInstructor);
        await OpenAsync(instructor, "classes");
        var name = $"E2E class view {Guid.NewGuid().ToString("N")[..6]}";
        await instructor.GetByLabel("Class name").FillAsync(name);
        await instructor.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var row = instructor.GetByTestId("class-list").Locator("tr", new() { HasText = name });
        await Expect(row.GetByTestId("class-join-code")).ToHaveTextAsync(new Regex("^[A-Z0-9]{6}$"));
        var code = (await row.GetByTestId("class-join-code").InnerTextAsync()).Trim();

        var students = new List<IPage>();
        var runs = new List<(IPage Page, int Id)>();
        foreach (var (who, seed) in new[] { ("Ada Dashboard", 1), ("Ben Dashboard", 3) })
        {
            var page = await NewPageAsync();
            await RegisterAsync(page, who, $"dash-{Guid.NewGuid():N}"[..13] + "@example.org", "Student-pass-2026", code);
            students.Add(page);
            runs.Add((page, await PortalApi.StartRunAsync(page, $"{who} plain", PortalApi.Tiny(false, seed))));
            runs.Add((page, await PortalApi.StartRunAsync(page, $"{who} standardised", PortalApi.Tiny(true, seed + 1))));
        }
        foreach (var (page, id) in runs) await PortalApi.WaitForRunAsync(page, id);

        // The instructor opens the class from the list: both rows, four lines on the chart, the effect in words.
        await OpenAsync(instructor, "classes");
        await instructor.GetByTestId("class-list").Locator("tr", new() { HasText = name }).GetByTestId("class-dashboard-link").ClickAsync();
        await Expect(instructor.GetByTestId("dashboard-class")).ToHaveTextAsync(name);
        var table = instructor.GetByTestId("dashboard-students");
        await Expect(table.GetByTestId("dashboard-student")).ToHaveCountAsync(2);
        await Expect(table).ToContainTextAsync("Ada Dashboard");
        await Expect(table).ToContainTextAsync("Ben Dashboard");
        await Expect(table.GetByTestId("dashboard-runs").First).ToHaveTextAsync("2 of 2 finished");
        await Expect(instructor.GetByTestId("dashboard-parallel")).ToHaveAttributeAsync("data-lines", "4");
        await Expect(instructor.GetByTestId("dashboard-parallel").Locator("polyline")).ToHaveCountAsync(4);
        await Expect(instructor.Locator("[data-testid=dashboard-effect][data-setting='Training.PerImageStandardization']"))
            .ToContainTextAsync("(n = 2 vs 2");
        await Expect(instructor.GetByTestId("dashboard-csv")).ToBeVisibleAsync();
        var missed = instructor.GetByTestId("dashboard-missed-image");
        await Expect(missed.First).ToBeVisibleAsync();
        Output.WriteLine($"{await missed.CountAsync()} most-missed images shown");

        // A student sees their own row only, no export, and the chart over their own two runs (nothing is shared).
        var ada = students[0];
        await OpenAsync(ada, "classes");
        await ada.GetByTestId("class-list").Locator("tr", new() { HasText = name }).GetByTestId("class-dashboard-link").ClickAsync();
        await Expect(ada.GetByTestId("dashboard-student")).ToHaveCountAsync(1);
        await Expect(ada.GetByTestId("dashboard-student")).ToContainTextAsync("Ada Dashboard");
        await Expect(ada.GetByTestId("dashboard-parallel")).ToHaveAttributeAsync("data-lines", "2");
        await Expect(ada.GetByTestId("dashboard-csv")).ToHaveCountAsync(0);
    });
}
