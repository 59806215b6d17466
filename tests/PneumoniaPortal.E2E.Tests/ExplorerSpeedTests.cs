using System.Diagnostics;
using System.Text.Json;
using PneumoniaPortal.E2E.Tests.Browser;
using PneumoniaPortal.E2E.Tests.Host;
using PneumoniaPortal.Tests.Shared;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>The explorer on the biggest data set the test machine has (the full set in this workplace, else the sample).</summary>
[Collection(PortalCollection.Name)]
public sealed class ExplorerSpeedTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    [Fact]
    public Task Explorer_renders_and_scrolls_through_the_whole_data_set() => RunAsync(async () =>
    {
        using var server = new PortalServer { DatasetPath = TestData.Root };
        var context = await Portal.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await SignInAsync(page, DemoStudent);
        var expected = Directory.EnumerateFiles(TestData.Root, "*.jpeg", SearchOption.AllDirectories).Count();

        var watch = Stopwatch.StartNew();
        await page.GotoAsync("dataset");
        await Expect(page.GetByTestId("explorer-thumb").First).ToBeVisibleAsync();
        var firstRender = watch.Elapsed;
        var countText = await page.GetByTestId("explorer-count").InnerTextAsync();
        Assert.Contains(expected.ToString(), countText.Replace(",", "").Replace(" ", ""));

        // Scroll to the end in steps: the virtualized gallery keeps only a window of thumbnails in the page.
        watch.Restart();
        var maxInPage = 0;
        for (var i = 0; i < 40; i++)
        {
            await page.Mouse.WheelAsync(0, 4000);
            await page.WaitForTimeoutAsync(50);
            maxInPage = Math.Max(maxInPage, await page.GetByTestId("explorer-thumb").CountAsync());
        }
        var scroll = watch.Elapsed;
        Assert.True(maxInPage < Math.Min(expected, 1000), $"{maxInPage} thumbnails in the page at once");

        var report = Path.Combine(TestResultsFolder.Path, "explorer-speed.json");
        await File.WriteAllTextAsync(report, JsonSerializer.Serialize(new
        {
            images = expected,
            firstRenderMs = firstRender.TotalMilliseconds,
            scrollSteps = 40,
            scrollMs = scroll.TotalMilliseconds,
            maxThumbnailsInPage = maxInPage,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Output.WriteLine($"{expected} images: first render {firstRender.TotalMilliseconds:0} ms, 40 scroll steps {scroll.TotalMilliseconds:0} ms, at most {maxInPage} thumbnails in the page; {report}");
        await context.CloseAsync();
    });
}
