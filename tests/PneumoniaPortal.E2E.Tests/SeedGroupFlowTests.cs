using System.Text.RegularExpressions;
using PneumoniaPortal.E2E.Tests.Browser;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>Issue 16: the same settings repeated with two seeds, seen as one group with mean ± SD.</summary>
[Collection(PortalCollection.Name)]
public sealed class SeedGroupFlowTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    [Fact]
    public Task A_student_repeats_a_run_with_two_seeds_and_sees_one_row_with_mean_and_sd() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await RegisterAsync(page, "Seed Student", $"seeds-{Guid.NewGuid():N}"[..14] + "@example.org", "Student-pass-2026", await Portal.Server.DemoJoinCodeAsync());
        await OpenAsync(page, "runs/new");
        await page.Locator("input[data-testid=run-name]").Or(page.GetByTestId("run-name").Locator("input")).FillAsync("e2e two seeds");
        await page.Locator(".setting-Epochs input").FillAsync("1");
        await page.Locator(".setting-Epochs input").PressAsync("Tab");
        await page.GetByTestId("seed-count").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "2 seeds, as one group" }).ClickAsync();
        await Expect(page.GetByTestId("group-estimate")).ToContainTextAsync("2 runs take about");
        await Expect(page.GetByTestId("start-run")).ToBeEnabledAsync();
        await page.GetByTestId("start-run").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/groups/\d+$"), new() { Timeout = 90_000, WaitUntil = Microsoft.Playwright.WaitUntilState.Commit });
        var groupId = int.Parse(new Regex(@"/groups/(\d+)$").Match(page.Url).Groups[1].Value);

        // The group page fills in as the two runs finish (it polls): each figure as mean ± SD over both.
        await Expect(page.GetByTestId("group-figure-auc")).ToContainTextAsync(new Regex(@"^\d\.\d{3} ± \d\.\d{3}$"), new() { Timeout = 300_000 });
        await Expect(page.GetByTestId("group-runs").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("group-curve-loss")).ToHaveAttributeAsync("data-points", "1");

        // My runs: one row for the group, its runs only when opened.
        await OpenAsync(page, "runs");
        var row = page.GetByTestId("run-list").Locator("tr", new() { Has = page.GetByTestId("group-row") });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("group-link")).ToHaveTextAsync("e2e two seeds");
        await Expect(row.GetByTestId("group-seeds")).ToHaveTextAsync("2 seeds");
        await Expect(row.GetByTestId("group-finished")).ToHaveTextAsync("2 of 2 finished");
        await Expect(row.GetByTestId("group-val-auc")).ToContainTextAsync(new Regex(@"\d\.\d{3} ± \d\.\d{3}"));
        await Expect(page.GetByTestId("run-link")).ToHaveCountAsync(0);
        await WaitUntilInteractiveAsync(page);
        await row.GetByTestId("group-expand").ClickAsync();
        await Expect(page.GetByTestId("run-link")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("run-link").First).ToContainTextAsync("e2e two seeds · seed");

        // Compare shows the group as mean ± SD too.
        await OpenAsync(page, $"runs/compare?groups={groupId}");
        await Expect(page.GetByTestId("compare-groups-table")).ToContainTextAsync("e2e two seeds");
        await Expect(page.GetByTestId("compare-group-auc")).ToContainTextAsync(" ± ");
        await Expect(page.GetByTestId("compare-group-curve-loss")).ToHaveAttributeAsync("data-points", "1");
    });
}
