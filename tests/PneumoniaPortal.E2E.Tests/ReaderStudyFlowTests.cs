using System.Text.RegularExpressions;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.E2E.Tests.Browser;
using PneumoniaPortal.Web.Practice;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>Issue 17: a practice set as a reader study, from choosing the model to the students' points on its ROC curve.</summary>
[Collection(PortalCollection.Name)]
public sealed class ReaderStudyFlowTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    [Fact]
    public Task A_closed_practice_set_shows_the_students_points_on_the_models_roc_chart() => RunAsync(async () =>
    {
        // A student trains the model and shares it with the class.
        var ada = await NewPageAsync();
        await RegisterAsync(ada, "Ada Reader", $"reader-{Guid.NewGuid():N}"[..15] + "@example.org", "Student-pass-2026", await Portal.Server.DemoJoinCodeAsync());
        var model = await PortalApi.StartRunAsync(ada, "reader study model", PortalApi.Tiny(epochs: 2));
        await PortalApi.WaitForRunAsync(ada, model);
        await PortalApi.SendAsync(ada, "POST", $"api/runs/{model}/share?shared=true");

        // The instructor makes a gold-standard set of four test images and picks the model on the set's page.
        var instructor = await NewPageAsync();
        await SignInAsync(instructor, DemoInstructor);
        var classes = await PortalApi.SendAsync(instructor, "GET", "api/classes");
        var courseId = classes.EnumerateArray().First(c => c.GetProperty("name").GetString() == DemoClass).GetProperty("id").GetInt32();
        var set = await PortalApi.SendAsync(instructor, "POST", "api/relabel/practice",
            new CreatePracticeSet(courseId, $"Reader study {Guid.NewGuid().ToString("N")[..4]}", PracticeImageChoice.GoldStandard, 4, Split.Test, Seed: 12));
        var setId = set.GetProperty("id").GetInt32();
        await OpenAsync(instructor, $"relabel/practice/{setId}");
        await instructor.GetByTestId("reader-model-select").ClickAsync();
        await instructor.Locator(".mud-popover-open .mud-list-item", new() { HasText = $"#{model} reader study model" }).ClickAsync();
        await instructor.GetByTestId("reader-model-save").ClickAsync();
        await Expect(instructor.GetByTestId("reader-roc")).ToBeVisibleAsync();
        Assert.NotEqual("0", await instructor.GetByTestId("reader-roc").GetAttributeAsync("data-roc-points"));

        // Ada answers the four images in the browser; a classmate answers through the API.
        await OpenAsync(ada, $"relabel/practice/{setId}");
        for (var k = 0; k < 4; k++)
        {
            await Expect(ada.GetByTestId("practice-progress")).ToContainTextAsync($"{k} answered");
            await ada.GetByTestId(k % 2 == 0 ? "practice-answer-pneumonia" : "practice-answer-normal").ClickAsync();
        }
        await Expect(ada.GetByTestId("practice-done")).ToBeVisibleAsync();
        var ben = await NewPageAsync();
        await RegisterAsync(ben, "Ben Reader", $"reader-{Guid.NewGuid():N}"[..15] + "@example.org", "Student-pass-2026", await Portal.Server.DemoJoinCodeAsync());
        var sheet = await PortalApi.SendAsync(ben, "GET", $"api/relabel/practice/{setId}");
        foreach (var item in sheet.GetProperty("items").EnumerateArray())
            await PortalApi.SendAsync(ben, "POST", $"api/relabel/practice/{setId}/answers", new PracticeAnswerRequest(item.GetProperty("itemId").GetInt32(), Label.Pneumonia));

        // Closed: Ada sees both readers' points on the model's curve, hers highlighted, and only her own row.
        await OpenAsync(instructor, $"relabel/practice/{setId}");
        await instructor.GetByTestId("practice-close").ClickAsync();
        await Expect(instructor.GetByTestId("practice-closed")).ToBeVisibleAsync();
        await OpenAsync(ada, $"relabel/practice/{setId}");
        var chart = ada.GetByTestId("reader-roc");
        await Expect(chart).ToHaveAttributeAsync("data-readers", "2");
        await Expect(chart.GetByTestId("reader-point")).ToHaveCountAsync(2);
        await Expect(chart.Locator("circle.rr-me")).ToHaveCountAsync(1);
        await Expect(chart.GetByTestId("reader-model-point")).ToHaveCountAsync(1);
        await Expect(chart.GetByTestId("reader-average-point")).ToHaveCountAsync(1);
        await Expect(ada.GetByTestId("reader-row")).ToHaveCountAsync(1);
        await Expect(ada.GetByTestId("reader-row")).ToContainTextAsync("You");
        await Expect(ada.GetByTestId("reader-study")).Not.ToContainTextAsync("Ben Reader");
        await Expect(ada.GetByTestId("reader-fleiss")).ToContainTextAsync(new Regex(@"Fleiss' κ over the 2 students who answered every image\): -?\d\.\d{3}"));
    });
}
