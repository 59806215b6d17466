using System.Diagnostics;
using System.Text.Json;
using PneumoniaPortal.E2E.Tests.Browser;
using PneumoniaPortal.Tests.Shared;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>
/// docs/benchmarks.md: a 1 GB archive uploaded through the import page (Chromium, the page's script, pieces to
/// /api/dataset/uploads, loopback). The file is random bytes named .zip, so the import after the upload refuses it:
/// only the upload is timed. Run with PORTAL_TIMINGS=1.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class UploadSpeedTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    [TimingFact(needsFullSet: false)]
    public Task A_one_gigabyte_archive_uploads_through_the_page() => RunAsync(async () =>
    {
        const long size = 1L << 30;
        var file = Path.Combine(TestData.NewTempDirectory("upload-speed"), "chest_xray_big.zip");
        await using (var stream = File.Create(file))
        {
            var block = new byte[8 << 20];
            Random.Shared.NextBytes(block);
            for (long written = 0; written < size; written += block.Length) await stream.WriteAsync(block);
        }
        try
        {
            var page = await NewPageAsync();
            await SignInAsync(page, DemoInstructor);
            await OpenAsync(page, "dataset/import");
            await page.GetByTestId("import-zip").SetInputFilesAsync(file);
            var clock = Stopwatch.StartNew();
            await page.GetByTestId("import-zip-button").ClickAsync();
            await Expect(page.GetByText("Uploaded; reading its images").Or(page.GetByTestId("import-error"))).ToBeVisibleAsync(new() { Timeout = 600_000 });
            var seconds = clock.Elapsed.TotalSeconds;
            await Expect(page.GetByTestId("import-error")).ToBeVisibleAsync(new() { Timeout = 120_000 });
            var report = new { what = "1 GiB uploaded through the import page (Chromium, loopback)", seconds, megabytesPerSecond = size / (double)(1 << 20) / seconds };
            Output.WriteLine(JsonSerializer.Serialize(report));
            await File.WriteAllTextAsync(Path.Combine(TestResultsFolder.Path, "upload-speed.json"), JsonSerializer.Serialize(report));
        }
        finally
        {
            File.Delete(file);
        }
    });
}
