using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using PneumoniaPortal.E2E.Tests.Browser;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests;

/// <summary>After training: read a run's results, move its threshold, compare two runs, and compete on the class leaderboard.</summary>
[Collection(PortalCollection.Name)]
public sealed class RunAnalysisTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    [Fact]
    public Task Student_reads_results_moves_the_threshold_compares_two_runs_and_submits_to_the_leaderboard() => RunAsync(async () =>
    {
        var student = await NewPageAsync();
        await SignInAsync(student, DemoStudent);
        var first = await RunFlowTests.StartFromFormAsync(student, "e2e analysis A", epochs: 2);
        var second = await RunFlowTests.StartFromFormAsync(student, "e2e analysis B", epochs: 3);
        // The second run trains after the first; once it is done, both are.
        await Expect(student.GetByTestId("run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 300_000 });

        // Run detail: navigation to the run's content shown (prerendered), to its results computed and drawn by the
        // circuit (the Results tab renders while hidden), then a click on the tab to the results visible.
        const string ResultsDrawn = "() => Number(document.querySelector('[data-testid=roc-chart]')?.dataset.points) > 0 && document.querySelector('[data-testid=results-metrics]') !== null";
        var watch = Stopwatch.StartNew();
        await student.GotoAsync($"runs/{first}");
        await Expect(student.GetByTestId("run-name")).ToBeVisibleAsync();
        var pageMs = watch.Elapsed.TotalMilliseconds;
        // Short polling: Expect's growing intervals would round the times up.
        await student.WaitForFunctionAsync(ResultsDrawn, null, new() { Timeout = 30_000, PollingInterval = 20 });
        var resultsReadyMs = watch.Elapsed.TotalMilliseconds;
        await WaitUntilInteractiveAsync(student);
        var tab = student.GetByRole(AriaRole.Tab, new() { Name = "Results" });
        await tab.WaitForAsync();
        watch.Restart();
        // A DOM click: Playwright's own click adds ~1 s of actionability checks on MudTabs, which is not what a user waits for.
        await tab.EvaluateAsync("t => t.click()");
        await student.WaitForFunctionAsync("() => document.querySelector('[data-testid=results-metrics]')?.offsetParent != null", null, new() { Timeout = 30_000, PollingInterval = 20 });
        var renderMs = watch.Elapsed.TotalMilliseconds;
        // Every test figure with its 95% interval.
        await Expect(student.GetByTestId("results-metrics").GetByTestId("metric-interval")).ToHaveCountAsync(6);
        await Expect(student.Locator("[data-metric=accuracy] [data-testid=metric-interval]")).ToContainTextAsync("95% CI ");
        // A cell of the confusion matrix opens the gallery of its images, with their probabilities.
        await student.Locator("[data-testid=confusion-matrix] [data-cell=tp]").ClickAsync();
        await Expect(student.GetByTestId("misclassified")).ToHaveAttributeAsync("data-cell", "tp");
        var caught = await student.Locator("[data-testid=confusion-matrix] [data-cell=tp]").GetAttributeAsync("data-count");
        await Expect(student.GetByTestId("misclassified")).ToHaveAttributeAsync("data-count", caught!);
        await Expect(student.GetByTestId("misclassified")).ToContainTextAsync("Pneumonia caught");
        await Expect(student.GetByTestId("results-metrics")).ToBeVisibleAsync();

        // Threshold 0 calls every image PNEUMONIA: no true negatives, no missed pneumonia.
        var matrix = student.GetByTestId("confusion-matrix");
        var tnBefore = await matrix.Locator("[data-cell=tn]").GetAttributeAsync("data-count");
        await student.GetByTestId("threshold-slider").FocusAsync();
        await student.Keyboard.PressAsync("Home");
        await Expect(matrix.Locator("[data-cell=tn]")).ToHaveAttributeAsync("data-count", "0");
        await Expect(matrix.Locator("[data-cell=fn]")).ToHaveAttributeAsync("data-count", "0");
        Assert.NotEqual("0", tnBefore);
        await student.GetByTestId("threshold-reset").ClickAsync();
        await Expect(matrix.Locator("[data-cell=tn]")).ToHaveAttributeAsync("data-count", tnBefore!);

        // Compare the two runs.
        await OpenAsync(student, $"runs/compare?ids={first},{second}");
        var metrics = student.GetByTestId("compare-metrics");
        await Expect(metrics).ToContainTextAsync("e2e analysis A", new() { Timeout = 30_000 });
        await Expect(metrics).ToContainTextAsync("e2e analysis B");
        await Expect(student.GetByTestId("compare-confusion").Locator("[data-cell=tp]")).ToHaveCountAsync(2);
        await Expect(student.GetByTestId("compare-settings-diff")).ToContainTextAsync("Epochs");
        // How sure the difference is, in words: DeLong's interval of the AUC difference and McNemar's test of the decisions.
        // (The 3-epoch run may keep the 2-epoch run's best checkpoint, the same seed's: then the two rank alike, and say so.)
        await Expect(student.GetByTestId("compare-verdict-auc")).ToContainTextAsync(
            new System.Text.RegularExpressions.Regex(@"AUC is .* \(95% CI of .*: -?\d\.\d{3} to -?\d\.\d{3}, p [=<] |rank the test images alike \(AUC \d\.\d{3} each\)"));
        await Expect(student.GetByTestId("compare-verdict-decisions")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"alone is right on \d+ test images? .*(McNemar p|decide every image alike)"));

        // The instructor opens a leaderboard for the demo class; the student submits and sees a rank.
        var instructor = await NewPageAsync();
        await SignInAsync(instructor, DemoInstructor);
        await OpenAsync(instructor, "leaderboard");
        await instructor.Locator("input[data-testid=leaderboard-new-title]").Or(instructor.GetByTestId("leaderboard-new-title").Locator("input")).FillAsync("E2E challenge");
        await instructor.GetByTestId("leaderboard-create").ClickAsync();
        await Expect(instructor.GetByTestId("leaderboard-info")).ToContainTextAsync("E2E challenge", new() { Timeout = 30_000 });

        await OpenAsync(student, "leaderboard");
        await Expect(student.GetByTestId("leaderboard-rank")).ToContainTextAsync("You have not submitted yet");
        await Expect(student.GetByTestId("leaderboard-submit")).ToBeEnabledAsync();
        await student.GetByTestId("leaderboard-submit").ClickAsync();
        await Expect(student.GetByTestId("leaderboard-rank")).ToContainTextAsync(new Regex(@"Your rank: 1 of \d+"), new() { Timeout = 30_000 });
        await Expect(student.GetByTestId("leaderboard-table")).ToContainTextAsync("Demo student");

        var report = Path.Combine(TestResultsFolder.Path, "run-detail-render.json");
        await File.WriteAllTextAsync(report, JsonSerializer.Serialize(new
        {
            what = "run detail in Chromium: pageMs = navigation to the run page's content shown (prerendered); resultsReadyMs = navigation to the Results tab's metrics, matrix and ROC chart drawn by the circuit; tabSwitchMs = DOM click on the Results tab to the results visible",
            run = first,
            pageMs,
            resultsReadyMs,
            tabSwitchMs = renderMs,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Output.WriteLine($"run page: {pageMs:0} ms; results drawn: {resultsReadyMs:0} ms; tab switch: {renderMs:0} ms; written to {report}");
    });
}
