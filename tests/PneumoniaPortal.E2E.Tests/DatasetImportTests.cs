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
    public Task An_instructor_uploads_the_kaggle_archive_with_its_nested_copy_from_the_page_and_it_is_stored_for_an_admin_to_use() => RunAsync(async () =>
    {
        var archive = KaggleArchive(perFolder: 6);
        try
        {
            var page = await NewPageAsync();
            await SignInAsync(page, DemoInstructor);
            await OpenAsync(page, "dataset/import");
            await page.GetByTestId("import-zip").SetInputFilesAsync(archive);
            await page.GetByTestId("import-zip-button").ClickAsync();
            await Expect(page.GetByText("archive (24 images) is stored")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            // The nested copy and the litter are not counted: 24 images, not 48.
            var row = page.GetByTestId("known-datasets").Locator("tr", new() { HasText = "zip uploaded in the portal" }).Last;
            await Expect(row).ToContainTextAsync("24");
            await Expect(row.GetByTestId("dataset-active")).ToHaveCountAsync(0);
        }
        finally
        {
            File.Delete(archive);
        }
    });
}
