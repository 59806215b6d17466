using System.IO.Compression;
using PneumoniaPortal.E2E.Tests.Browser;
using PneumoniaPortal.Tests.Shared;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>The archive as people download it, uploaded from the import page.</summary>
[Collection(PortalCollection.Name)]
public sealed class DatasetImportTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    /// <summary>Kaggle's layout: the set under chest_xray/, again under chest_xray/chest_xray/, and macOS's __MACOSX/ litter.</summary>
    static string KaggleArchive(int perFolder)
    {
        var file = Path.Combine(TestData.NewTempDirectory("kaggle-archive"), "archive.zip");
        using var zip = ZipFile.Open(file, ZipArchiveMode.Create);
        foreach (var split in new[] { "train", "test" })
            foreach (var label in new[] { "NORMAL", "PNEUMONIA" })
                foreach (var image in Directory.GetFiles(Path.Combine(TestData.SampleRoot, split, label)).Order(StringComparer.Ordinal).Take(perFolder))
                {
                    var name = Path.GetFileName(image);
                    zip.CreateEntryFromFile(image, $"chest_xray/{split}/{label}/{name}");
                    zip.CreateEntryFromFile(image, $"chest_xray/chest_xray/{split}/{label}/{name}");
                    zip.CreateEntry($"__MACOSX/chest_xray/{split}/{label}/._{name}").Open().Dispose();
                }
        return file;
    }

    [Fact]
    public Task An_instructor_uploads_the_kaggle_archive_with_its_nested_copy_from_the_page_and_picks_it_for_one_class_only() => RunAsync(async () =>
    {
        var archive = KaggleArchive(perFolder: 6);
        // A portal of its own: the demo instructor's classes and working class change here.
        using var server = new Host.PortalServer();
        try
        {
            var page = await SignedInOnAsync(server, DemoInstructor);
            var elective = $"Elective {Guid.NewGuid().ToString("N")[..6]}";
            await OpenAsync(page, "classes");
            await page.GetByLabel("Class name").FillAsync(elective);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
            await Expect(page.GetByTestId("class-list").Locator("tr", new() { HasText = elective })).ToBeVisibleAsync();

            await OpenAsync(page, "dataset/import");
            await page.GetByTestId("import-zip").SetInputFilesAsync(archive);
            await page.GetByTestId("import-zip-button").ClickAsync();
            await Expect(page.GetByText("archive (24 images) is stored")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            // The nested copy and the litter are not counted: 24 images, not 48; and no class uses it yet.
            var row = page.GetByTestId("known-datasets").Locator("tr", new() { HasText = "zip uploaded in the portal" }).Last;
            await Expect(row).ToContainTextAsync("24");
            await Expect(row.GetByTestId("dataset-class")).ToHaveCountAsync(0);
            await Expect(row.GetByTestId("dataset-default")).ToHaveCountAsync(0);

            // Picked for the new class only: the demo class stays on the portal's default.
            await row.GetByRole(AriaRole.Button, new() { Name = "Use for a class" }).ClickAsync();
            await page.GetByTestId("use-for-class-item").Filter(new() { HasText = elective }).ClickAsync();
            await Expect(page.GetByText($"{elective} works on archive from now on.")).ToBeVisibleAsync();
            await Expect(row.GetByTestId("dataset-class")).ToHaveTextAsync(elective);
            var sampleRow = page.GetByTestId("known-datasets").Locator("tr", new() { HasText = "sample shipped with the portal" });
            await Expect(sampleRow.GetByTestId("dataset-default")).ToBeVisibleAsync();
            await Expect(sampleRow.GetByTestId("dataset-class")).ToHaveTextAsync(DemoClass);

            // The instructor is in both classes: the picker beside their name switches the data set every page shows.
            await OpenAsync(page, "dataset");
            await Expect(page.GetByTestId("explorer-dataset")).ToContainTextAsync("820 images");
            await page.GetByTestId("working-class").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = elective }).ClickAsync();
            await Expect(page.GetByTestId("explorer-dataset")).ToContainTextAsync("archive · 24 images", new() { Timeout = 30_000 });
            await WaitUntilInteractiveAsync(page);
            // Kept: a new page load shows the same class's data set.
            await OpenAsync(page, "dataset");
            await Expect(page.GetByTestId("explorer-dataset")).ToContainTextAsync("archive · 24 images");
            await LeaveAsync(server);
        }
        finally
        {
            File.Delete(archive);
        }
    });
}
