using System.Text.RegularExpressions;
using PneumoniaPortal.E2E.Tests.Browser;
using PneumoniaPortal.E2E.Tests.Host;
using PneumoniaPortal.Tests.Shared;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>
/// The student and instructor guides (docs/student-guide.md, docs/instructor-guide.md) walked in the browser: each step
/// checks what the page shows, then saves the screenshot the guide uses under TestResults/guide; with PORTAL_UPDATE_DOCS=1
/// it also writes them to docs/images, so the guides' pictures come from a run that passed.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class GuideScreenshotTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    const string Planted = "person9999_bacteria_9999.jpeg";
    // Still doubtful after the first is relabelled, so the practice set has an image to draw from the doubtful queue.
    const string SecondPlanted = "person9998_bacteria_9998.jpeg";

    static readonly string GuideFolder = Path.Combine(TestResultsFolder.Path, "guide");
    static readonly string? DocsImages = Environment.GetEnvironmentVariable("PORTAL_UPDATE_DOCS") == "1"
        ? Path.Combine(TestData.RepoRoot, "docs", "images")
        : null;

    [Fact]
    public Task Student_and_instructor_guides_walk_through_every_step_and_save_their_screenshots() => RunAsync(async () =>
    {
        Directory.CreateDirectory(GuideFolder);
        if (DocsImages is not null) Directory.CreateDirectory(DocsImages);
        // A portal of its own: the pictures show only what the guide does, whatever other tests left on the shared one
        // (their runs, or a leaderboard holding back part of the test split).
        using (var clean = new PortalServer()) await StudentAndInstructorAsync(clean);
        await RelabelAndPracticeAsync();
    });

    async Task StudentAndInstructorAsync(PortalServer server)
    {
        // Student: explore the data set.
        var student = await SignedInOnAsync(server, DemoStudent);
        await OpenAsync(student, "dataset");
        await Expect(student.GetByTestId("explorer-count")).ToContainTextAsync("820");
        await Expect(student.GetByTestId("explorer-thumb").First).ToBeVisibleAsync();
        await ShotAsync(student, "01-explorer-gallery");

        await student.GetByTestId("explorer-thumb").First.ClickAsync();
        await Expect(student.GetByTestId("image-detail")).ToContainTextAsync("Label history");
        await ShotAsync(student, "02-image-detail");

        // Tune: the new run form and its augmentation preview.
        await OpenAsync(student, "runs/new");
        var preview = student.GetByTestId("aug-preview").Locator("img").First;
        await Expect(preview).ToHaveAttributeAsync("src", new Regex("^data:image/png"), new() { Timeout = 30_000 });
        await ShotAsync(student, "03-new-run-form");
        var before = await preview.GetAttributeAsync("src");
        await student.Locator(".setting-RotationDegrees input").FillAsync("20");
        await student.Locator(".setting-RotationDegrees input").PressAsync("Tab");
        await Expect(preview).Not.ToHaveAttributeAsync("src", before!, new() { Timeout = 15_000 });
        await student.EvaluateAsync("() => document.activeElement?.blur()");
        await ShotAsync(student, "04-augmentation-preview", student.GetByTestId("section-augmentation"));

        // Train two small runs; the second waits behind the first, so the charts fill while we watch.
        var first = await RunFlowTests.StartFromFormAsync(student, "Guide: 2 epochs", epochs: 2);
        var second = await RunFlowTests.StartFromFormAsync(student, "Guide: 3 epochs", epochs: 3);
        await Expect(student.GetByTestId("run-charts")).ToHaveAttributeAsync("data-epochs", new Regex("^[1-9]"), new() { Timeout = 180_000 });
        await ShotAsync(student, "05-training-live");
        await Expect(student.GetByTestId("run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 180_000 });

        // Results: metrics, and the threshold slider moved to 0 (every image called PNEUMONIA).
        await student.GetByRole(AriaRole.Tab, new() { Name = "Results" }).ClickAsync();
        await Expect(student.GetByTestId("results-metrics")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(student.GetByTestId("roc-chart")).ToHaveAttributeAsync("data-points", new Regex("^[1-9]"));
        await ShotAsync(student, "06-results");
        var matrix = student.GetByTestId("confusion-matrix");
        await student.GetByTestId("threshold-slider").FocusAsync();
        await student.Keyboard.PressAsync("Home");
        await Expect(matrix.Locator("[data-cell=tn]")).ToHaveAttributeAsync("data-count", "0");
        await Expect(matrix.Locator("[data-cell=fn]")).ToHaveAttributeAsync("data-count", "0");
        // The slider and the confusion matrix below it, in one picture.
        await matrix.EvaluateAsync("e => e.scrollIntoView({ block: 'end' })");
        await ShotAsync(student, "07-threshold-at-zero");
        await student.GetByTestId("threshold-reset").ClickAsync();

        // Compare the two runs.
        await OpenAsync(student, $"runs/compare?ids={first},{second}");
        await Expect(student.GetByTestId("compare-metrics")).ToContainTextAsync("Guide: 2 epochs", new() { Timeout = 30_000 });
        await Expect(student.GetByTestId("compare-metrics")).ToContainTextAsync("Guide: 3 epochs");
        await Expect(student.GetByTestId("compare-settings-diff")).ToContainTextAsync("Epochs");
        await ShotAsync(student, "08-compare-runs");

        // Activations: one test image's Grad-CAM, then the check that the heat map depends on what the network learned.
        await OpenAsync(student, $"runs/{second}");
        await student.GetByRole(AriaRole.Tab, new() { Name = "Activations" }).ClickAsync();
        await student.GetByTestId("activation-thumb").First.ClickAsync();
        await student.GetByTestId("activation-compute").ClickAsync();
        await Expect(student.GetByTestId("gradcam")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await student.GetByTestId("gradcam-sanity-check").ClickAsync();
        await Expect(student.GetByTestId("gradcam-sanity-verdict")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(student.GetByTestId("gradcam-random")).ToBeVisibleAsync();
        await ShotAsync(student, "14-gradcam-sanity", student.GetByTestId("gradcam-sanity"));

        // Instructor: the class and its join code, then a leaderboard for it.
        var instructor = await SignedInOnAsync(server, DemoInstructor);
        await OpenAsync(instructor, "classes");
        var demoRow = instructor.GetByTestId("class-list").Locator("tr", new() { HasText = DemoClass });
        await Expect(demoRow.GetByTestId("class-join-code")).ToHaveTextAsync(new Regex("^[A-Z0-9]{6}$"));
        await ShotAsync(instructor, "21-classes-join-code");


        // The class's roster: its students, their activity and minutes this week, quotas, a new code, archiving.
        await demoRow.GetByTestId("class-roster-link").ClickAsync();
        await instructor.WaitForURLAsync(new Regex(@"/classes/\d+/roster$"));
        await Expect(instructor.Locator("tr.roster-row", new() { HasText = "Demo student" })).ToBeVisibleAsync();
        await ShotAsync(instructor, "28-class-roster");

        // The home page of a portal still on the shipped sample: where to get the full set and how to import it.
        await OpenAsync(instructor, "");
        await Expect(instructor.GetByTestId("sample-banner")).ToContainTextAsync("Import a data set");
        await ShotAsync(instructor, "33-home-on-sample");

        await OpenAsync(instructor, "leaderboard");
        await instructor.Locator("input[data-testid=leaderboard-new-title]").Or(instructor.GetByTestId("leaderboard-new-title").Locator("input")).FillAsync("Week 3 challenge");
        await instructor.GetByTestId("leaderboard-create-panel").ScrollIntoViewIfNeededAsync();
        await ShotAsync(instructor, "22-leaderboard-create");
        await instructor.GetByTestId("leaderboard-create").ClickAsync();
        await Expect(instructor.GetByTestId("leaderboard-info")).ToContainTextAsync("Week 3 challenge", new() { Timeout = 30_000 });

        // Student: submit the better run to the leaderboard.
        await OpenAsync(student, "leaderboard");
        await Expect(student.GetByTestId("leaderboard-rank")).ToContainTextAsync("You have not submitted yet");
        await Expect(student.GetByTestId("leaderboard-submit")).ToBeEnabledAsync();
        await student.GetByTestId("leaderboard-submit").ClickAsync();
        await Expect(student.GetByTestId("leaderboard-rank")).ToContainTextAsync(new Regex(@"Your rank: 1 of \d+"), new() { Timeout = 30_000 });
        await Expect(student.GetByTestId("leaderboard-table")).ToContainTextAsync("Demo student");
        await ShotAsync(student, "09-leaderboard-submitted");

        // Instructor: freeze the board, then reveal the private ranking.
        await OpenAsync(instructor, "leaderboard");
        await instructor.GetByTestId("leaderboard-freeze").ClickAsync();
        await Expect(instructor.GetByTestId("leaderboard-frozen")).ToBeVisibleAsync();
        await instructor.GetByTestId("leaderboard-reveal").ClickAsync();
        await Expect(instructor.GetByTestId("leaderboard-revealed")).ToBeVisibleAsync();
        await Expect(instructor.GetByTestId("leaderboard-private-table")).ToContainTextAsync("Demo student");
        await ShotAsync(instructor, "23-leaderboard-frozen-revealed");

        await OpenAsync(student, "leaderboard");
        await Expect(student.GetByTestId("leaderboard-revealed")).ToBeVisibleAsync();
        await Expect(student.GetByTestId("leaderboard-private-table")).ToContainTextAsync("Demo student");
        await ShotAsync(student, "10-leaderboard-final");

        // Reader study: the student shares the better run; the instructor makes a gold-standard set of eight test images,
        // picks that run as the model and turns on the second read.
        await PortalApi.SendAsync(student, "POST", $"api/runs/{second}/share?shared=true");
        var classes = await PortalApi.SendAsync(instructor, "GET", "api/classes");
        var courseId = classes.EnumerateArray().First(c => c.GetProperty("name").GetString() == DemoClass).GetProperty("id").GetInt32();
        var set = await PortalApi.SendAsync(instructor, "POST", "api/relabel/practice",
            new Web.Practice.CreatePracticeSet(courseId, "Week 4 reader study", Web.Practice.PracticeImageChoice.GoldStandard, 8, Core.Dataset.Split.Test, Seed: 12));
        var setId = set.GetProperty("id").GetInt32();
        await OpenAsync(instructor, $"relabel/practice/{setId}");
        await instructor.GetByTestId("reader-model-select").ClickAsync();
        await instructor.Locator(".mud-popover-open .mud-list-item", new() { HasText = $"#{second} Guide: 3 epochs" }).ClickAsync();
        await instructor.Locator("input[data-testid=reader-second-read]").Or(instructor.GetByTestId("reader-second-read").Locator("input")).CheckAsync();
        await instructor.GetByTestId("reader-model-save").ClickAsync();
        await Expect(instructor.GetByTestId("reader-roc")).ToBeVisibleAsync();

        // Student: eight images blind, then the second read with the model's answer and heat map beside each.
        await OpenAsync(student, $"relabel/practice/{setId}");
        for (var k = 0; k < 8; k++)
        {
            await Expect(student.GetByTestId("practice-progress")).ToContainTextAsync($"{k} answered");
            await student.GetByTestId(k % 3 == 0 ? "practice-answer-normal" : "practice-answer-pneumonia").ClickAsync();
        }
        await Expect(student.GetByTestId("second-read-offer")).ToBeVisibleAsync();
        await student.Locator("input[data-testid=second-read-switch]").Or(student.GetByTestId("second-read-switch").Locator("input")).CheckAsync();
        await Expect(student.GetByTestId("second-read-help")).ToContainTextAsync(" says ", new() { Timeout = 60_000 });
        await Expect(student.GetByTestId("second-read-gradcam")).ToHaveJSPropertyAsync("naturalWidth", 512, new() { Timeout = 60_000 });
        await ShotAsync(student, "15-second-read", student.GetByTestId("second-read"));
        for (var k = 0; k < 8; k++)
        {
            await Expect(student.GetByTestId("second-read-progress")).ToContainTextAsync($"{k} answered");
            await student.GetByTestId(k % 2 == 0 ? "second-read-pneumonia" : "second-read-normal").ClickAsync();
        }
        await Expect(student.GetByTestId("second-read-done")).ToBeVisibleAsync();

        // The instructor closes the set: the reader study, with the second read's switches.
        await OpenAsync(instructor, $"relabel/practice/{setId}");
        await instructor.GetByTestId("practice-close").ClickAsync();
        await Expect(instructor.GetByTestId("practice-closed")).ToBeVisibleAsync();
        await OpenAsync(instructor, $"relabel/practice/{setId}");
        await Expect(instructor.GetByTestId("reader-second-table")).ToContainTextAsync("Demo student");
        await ShotAsync(instructor, "32-reader-study", instructor.GetByTestId("reader-study"));
        await OpenAsync(student, $"relabel/practice/{setId}");
        await Expect(student.GetByTestId("reader-roc").GetByTestId("reader-point")).ToHaveCountAsync(1);
        await ShotAsync(student, "16-reader-study", student.GetByTestId("reader-study"));

        // The class view: the student's row (runs, leaderboard, practice), the settings chart and the most-missed images.
        await OpenAsync(instructor, $"classes/{courseId}/roster");
        await instructor.GetByTestId("roster-dashboard-link").ClickAsync();
        await Expect(instructor.GetByTestId("dashboard-student")).ToContainTextAsync("Demo student");
        await Expect(instructor.GetByTestId("dashboard-parallel")).ToHaveAttributeAsync("data-lines", "2");
        await Expect(instructor.GetByTestId("dashboard-missed-image").First).ToBeVisibleAsync();
        await ShotAsync(instructor, "31-class-dashboard");

        // Student: my account (name, password, classes, my data, two-factor sign-in).
        await student.GetByTestId("my-account").ClickAsync();
        await student.WaitForURLAsync(new Regex("/Account/Manage$"));
        await student.GetByTestId("manage-nav-password").ClickAsync();
        await Expect(student.Locator("#old-password")).ToBeVisibleAsync();
        await ShotAsync(student, "13-my-account-password");

        // Admin: the People page, inviting an instructor (the link is shown once).
        var admin = await SignedInOnAsync(server, DemoAdmin);
        await OpenAsync(admin, "admin/people");
        var inviteEmail = admin.Locator("input[data-testid=invite-email]").Or(admin.GetByTestId("invite-email").Locator("input"));
        await inviteEmail.FillAsync("new.teacher@school.example");
        await inviteEmail.PressAsync("Tab");
        await Expect(admin.GetByTestId("invite-button")).ToBeEnabledAsync();
        await admin.GetByTestId("invite-button").ClickAsync();
        await Expect(admin.GetByTestId("issued-link-note")).ToContainTextAsync("Works once", new() { Timeout = 30_000 });
        await ShotAsync(admin, "29-people-invite");
    }

    /// <summary>
    /// Relabelling needs doubtful images: a portal of its own on the sample plus two NORMAL images filed again as
    /// PNEUMONIA (byte-identical duplicates with conflicting labels), as in RelabelFlowTests.
    /// </summary>
    async Task RelabelAndPracticeAsync()
    {
        var data = PlantedDataSets.SampleWithNormalsFiledAsPneumonia("e2e-guide", Planted, SecondPlanted);
        try
        {
            using var server = new PortalServer { DatasetPath = data };

            // Student: the doubtful queue, then a proposal for the planted copy.
            var student = await SignedInOnAsync(server, DemoStudent);
            await OpenAsync(student, "relabel");
            var entry = student.Locator($"[data-testid=doubtful-entry]:has(img[alt='train/PNEUMONIA/{Planted}'])");
            await Expect(entry).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(entry.GetByTestId("doubtful-reason").First).ToContainTextAsync("byte-identical");
            await entry.ClickAsync();
            await Expect(student.GetByTestId("doubtful-detail")).ToContainTextAsync(Planted);
            await ShotAsync(student, "11-doubtful-queue");

            await student.GetByTestId("propose-label-NORMAL").ClickAsync();
            await student.Locator("textarea[data-testid=propose-reason]").Or(student.GetByTestId("propose-reason").Locator("textarea"))
                .FillAsync("The same file is filed as NORMAL in train; the lungs look clear to me.");
            await student.GetByTestId("propose-submit").ClickAsync();
            await Expect(student.GetByTestId("propose-result")).ToBeVisibleAsync();
            await student.GetByTestId("propose-result").ScrollIntoViewIfNeededAsync();
            await ShotAsync(student, "12-proposal-sent");

            // Instructor: review and accept it.
            var instructor = await SignedInOnAsync(server, DemoInstructor);
            await OpenAsync(instructor, "relabel/proposals");
            var row = instructor.GetByTestId("proposal-row").Filter(new() { HasText = Planted });
            await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await row.Locator("textarea[data-testid=decision-comment]").Or(row.GetByTestId("decision-comment").Locator("textarea"))
                .FillAsync("Agreed: the train NORMAL copy is the same file.");
            await ShotAsync(instructor, "24-proposal-review");
            await row.GetByTestId("decide-accept").ClickAsync();
            // The decided proposal stays on the page with its decision; waiting for it keeps the next navigation from cutting the decision off.
            await Expect(row.GetByTestId("decision-result")).ToContainTextAsync("ccepted", new() { Timeout = 30_000 });
            await Expect(instructor.GetByTestId("review-problem")).ToHaveCountAsync(0);
            await OpenAsync(instructor, "relabel/proposals?show=decided");
            await Expect(instructor.GetByTestId("proposal-row").Filter(new() { HasText = Planted }).GetByTestId("decision-result"))
                .ToContainTextAsync("ccepted", new() { Timeout = 30_000 });
            await ShotAsync(instructor, "25-proposal-accepted");

            // Instructor: a blind labelling practice set from the most doubtful images.
            await OpenAsync(instructor, "relabel/practice");
            await instructor.Locator("input[data-testid=practice-title]").Or(instructor.GetByTestId("practice-title").Locator("input")).FillAsync("Doubtful images, week 4");
            await Expect(instructor.GetByTestId("practice-create")).ToBeEnabledAsync();
            await ShotAsync(instructor, "26-practice-create");
            await instructor.GetByTestId("practice-create").ClickAsync();
            await instructor.WaitForURLAsync(new Regex(@"/relabel/practice/\d+$"), new() { Timeout = 30_000 });
            await Expect(instructor.GetByTestId("practice-sheet")).ToContainTextAsync("Doubtful images, week 4");
            await Expect(instructor.GetByTestId("practice-close")).ToBeVisibleAsync();
            await Expect(instructor.GetByTestId("practice-image")).ToBeVisibleAsync();
            await ShotAsync(instructor, "27-practice-set");

            // Instructor, last (the class moves to another data set): a re-split of the sample, chosen for the class.
            await OpenAsync(instructor, "dataset/import");
            await instructor.GetByTestId("resplit-button").ClickAsync();
            await Expect(instructor.GetByTestId("resplit-done")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var resplitRow = instructor.GetByTestId("known-datasets").Locator("tr", new() { HasText = "re-split of" });
            await resplitRow.GetByRole(AriaRole.Button, new() { Name = "Use for a class" }).ClickAsync();
            await instructor.GetByTestId("use-for-class-item").Filter(new() { HasText = DemoClass }).ClickAsync();
            await Expect(resplitRow.GetByTestId("dataset-class")).ToHaveTextAsync(DemoClass);
            await Expect(instructor.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
            await instructor.GetByTestId("known-datasets").ScrollIntoViewIfNeededAsync();
            await ShotAsync(instructor, "30-datasets-per-class");
            await LeaveAsync(server);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Saves the viewport (or one element) as a guide screenshot, and into docs/images when asked to.</summary>
    async Task ShotAsync(IPage page, string name, ILocator? element = null)
    {
        // Lets ripples, snackbars sliding in and charts drawing settle, so the picture matches what a person sees.
        await page.WaitForTimeoutAsync(400);
        var file = Path.Combine(GuideFolder, name + ".png");
        if (element is null) await page.ScreenshotAsync(new() { Path = file });
        // The app bar stays on top while the page scrolls; hidden, it does not cover the element's first lines.
        else await element.ScreenshotAsync(new() { Path = file, Style = ".mud-appbar { visibility: hidden; }" });
        if (DocsImages is not null) File.Copy(file, Path.Combine(DocsImages, name + ".png"), overwrite: true);
        Output.WriteLine($"{name}: {new FileInfo(file).Length / 1024} KB");
    }
}
