using System.Text.RegularExpressions;
using PneumoniaPortal.E2E.Tests.Browser;
using PneumoniaPortal.E2E.Tests.Host;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>The reviewed relabelling workflow in the browser: propose from the doubtful queue, accept, see the new label and the old one in the history.</summary>
[Collection(PortalCollection.Name)]
public sealed class RelabelFlowTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    const string Planted = "person9999_bacteria_9999.jpeg";

    [Fact]
    public Task Student_proposes_from_the_queue_instructor_accepts_and_the_explorer_shows_the_new_label_and_the_old_one_in_history() => RunAsync(async () =>
    {
        // One NORMAL image filed again, byte for byte, as PNEUMONIA: a duplicate with conflicting labels.
        var data = PlantedDataSets.SampleWithNormalsFiledAsPneumonia("e2e-relabel", Planted);
        try
        {
            using var server = new PortalServer { DatasetPath = data };

            // The student finds the planted copy in the queue and proposes NORMAL.
            var student = await SignedInOnAsync(server, DemoStudent, 1400, 900);
            await OpenAsync(student, "relabel");
            // Its twin's reasons name it too; the entry is the one showing its image.
            var entry = student.Locator($"[data-testid=doubtful-entry]:has(img[alt='train/PNEUMONIA/{Planted}'])");
            await Expect(entry).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(entry.GetByTestId("doubtful-reason").First).ToContainTextAsync("byte-identical");
            await entry.ClickAsync();
            await Expect(student.GetByTestId("doubtful-detail")).ToContainTextAsync(Planted);
            await student.GetByTestId("propose-label-NORMAL").ClickAsync();
            await student.Locator("textarea[data-testid=propose-reason]").Or(student.GetByTestId("propose-reason").Locator("textarea"))
                .FillAsync("The same bytes are filed as NORMAL in train; the lungs look clear to me.");
            await student.GetByTestId("propose-submit").ClickAsync();
            await Expect(student.GetByTestId("propose-result")).ToBeVisibleAsync();

            // The instructor accepts it.
            var instructor = await SignedInOnAsync(server, DemoInstructor, 1400, 900);
            await OpenAsync(instructor, "relabel/proposals");
            var row = instructor.GetByTestId("proposal-row").Filter(new() { HasText = Planted });
            await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await row.Locator("textarea[data-testid=decision-comment]").Or(row.GetByTestId("decision-comment").Locator("textarea"))
                .FillAsync("Agreed: the train NORMAL copy is the same file.");
            await row.GetByTestId("decide-accept").ClickAsync();
            await OpenAsync(instructor, "relabel/proposals?show=decided");
            await Expect(instructor.GetByTestId("proposal-row").Filter(new() { HasText = Planted }).GetByTestId("decision-result"))
                .ToContainTextAsync("ccepted", new() { Timeout = 30_000 });

            // The explorer shows the new label, and the history the old one.
            await OpenAsync(student, "dataset");
            await student.Locator("input[data-testid=filter-search]").Or(student.GetByTestId("filter-search").Locator("input")).FillAsync("person9999");
            await Expect(student.GetByTestId("explorer-count")).ToContainTextAsync(new Regex(@"\b1\b"));
            await student.GetByTestId("explorer-thumb").First.ClickAsync();
            var detail = student.GetByTestId("image-detail");
            await Expect(detail.GetByTestId("image-detail-metadata")).ToContainTextAsync("NORMAL");
            var history = detail.GetByTestId("image-detail-history");
            await Expect(history).ToContainTextAsync("PNEUMONIA");
            await Expect(history).ToContainTextAsync("NORMAL");
            await LeaveAsync(server);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    });
}
