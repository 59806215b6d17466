using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Web.Components.Pages.Results;
using PneumoniaPortal.Web.Components.Shared;
using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Tests.Results;

public sealed class RunResultsViewTests : IAsyncLifetime
{
    readonly BunitContext _ctx = new();

    public RunResultsViewTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    IRenderedComponent<RunResultsView> Render(double threshold = 0.5, int heldOut = 0) =>
        _ctx.Render<RunResultsView>(p => p.Add(v => v.Results, ResultsTestData.Run(threshold, heldOut)));

    static IElement Cell(IRenderedComponent<RunResultsView> view, string cell) => view.Find($"[data-testid=confusion-matrix] [data-cell={cell}]");
    static int Count(IRenderedComponent<RunResultsView> view, string cell) => int.Parse(Cell(view, cell).GetAttribute("data-count")!);
    static string Metric(IRenderedComponent<RunResultsView> view, string metric) => view.Find($"[data-testid=results-metrics] [data-metric={metric}]").GetAttribute("data-value")!;

    static Task Slide(IRenderedComponent<RunResultsView> view, string value) =>
        view.Find("[data-testid=threshold-slider] input[type=range], input[type=range][data-testid=threshold-slider]").InputAsync(new ChangeEventArgs { Value = value });

    [Fact]
    public void Results_heatmap_shows_each_cells_count_and_its_share_of_the_true_class()
    {
        var view = _ctx.Render<ConfusionMatrixView>(p => p.Add(v => v.Matrix, new ConfusionMatrix(3, 2, 1, 4)));
        Assert.Equal(["3", "2", "1", "4"], new[] { "tn", "fp", "fn", "tp" }.Select(c => view.Find($"[data-cell={c}]").GetAttribute("data-count")));
        Assert.Contains(Format.Percent(0.6), view.Find("[data-cell=tn]").TextContent);
        Assert.Contains(Format.Percent(0.4), view.Find("[data-cell=fp]").TextContent);
        Assert.Contains(Format.Percent(0.2), view.Find("[data-cell=fn]").TextContent);
        Assert.Contains(Format.Percent(0.8), view.Find("[data-cell=tp]").TextContent);
    }

    [Fact]
    public void Results_at_the_runs_threshold_show_its_counts_metrics_report_and_how_it_was_chosen()
    {
        var view = Render();
        Assert.Equal((3, 2, 1, 4), (Count(view, "tn"), Count(view, "fp"), Count(view, "fn"), Count(view, "tp")));
        Assert.Equal("0.7000", Metric(view, "accuracy"));
        Assert.Equal("0.8000", Metric(view, "sensitivity"));
        Assert.Equal("0.6000", Metric(view, "specificity"));
        Assert.Equal("0.8600", Metric(view, "auc")); // 21.5 of 25 (NORMAL, PNEUMONIA) pairs ranked right, the 0.8 tie counted half
        var provenance = view.Find("[data-testid=results-provenance]").TextContent;
        Assert.Contains("epoch-003.pt", provenance);
        Assert.Contains("the best validation loss", provenance);
        Assert.Contains("Youden", provenance);
        var report = view.Find("[data-testid=classification-report]");
        Assert.Equal("0.75", report.QuerySelector("[data-row=normal] [data-col=precision]")!.TextContent); // 3 of 4 called NORMAL
        Assert.Equal("5", report.QuerySelector("[data-row=pneumonia] [data-col=support]")!.TextContent);
        Assert.Empty(view.FindAll("[data-testid=held-out]"));
    }

    [Fact]
    public void Validation_figures_stand_beside_the_test_figures_and_a_gap_beyond_the_test_intervals_is_said()
    {
        // Validation separates the labels perfectly (AUC 1, accuracy 100 %): above the test intervals.
        var perfect = new[] { 0.1f, 0.2f, 0.3f, 0.7f, 0.8f, 0.9f }.Select((p, i) => new ResultImage($"train/x{i}.jpeg", i < 3 ? Core.Dataset.Label.Normal : Core.Dataset.Label.Pneumonia, p, null)).ToList();
        // (Fifty test images: ten could score 100 % by luck, so their interval reaches 1 and no gap could be told.)
        var view = _ctx.Render<RunResultsView>(p => p.Add(v => v.Results, ResultsTestData.Run(0.5, 0, perfect, copies: 5)));
        var text = view.Find("[data-testid=validation-figures]").TextContent;
        Assert.Contains("On the 6 validation images", text);
        Assert.Contains("ROC AUC 1", text);
        Assert.Contains("which flatters them", System.Text.RegularExpressions.Regex.Replace(view.Find("[data-testid=validation-diverges]").TextContent, @"\s+", " "));

        // Validation like the test split: its figures, no warning.
        var alike = ResultsTestData.Scores.Select((s, i) => new ResultImage($"train/y{i}.jpeg", s.Label, s.Probability, null)).ToList();
        var calm = _ctx.Render<RunResultsView>(p => p.Add(v => v.Results, ResultsTestData.Run(0.5, 0, alike, copies: 5)));
        Assert.Contains("On the 10 validation images", calm.Find("[data-testid=validation-figures]").TextContent);
        Assert.Empty(calm.FindAll("[data-testid=validation-diverges]"));
        Assert.Empty(Render().FindAll("[data-testid=validation-figures]"));
    }

    [Fact]
    public void The_calibration_panel_shows_every_bin_with_its_count_and_a_temperature_fitted_on_validation_only()
    {
        var view = Render();
        Assert.Equal(10, view.FindAll("[data-testid=calibration-bins] tbody tr").Sum(r => int.Parse(r.GetAttribute("data-count")!)));
        var expected = Calibration.From(ResultsTestData.Run().Labels, ResultsTestData.Run().Probabilities);
        Assert.Equal(Format.Number(expected.ExpectedCalibrationError, "0.000"), view.Find("[data-testid=calibration-ece]").TextContent);
        Assert.Empty(view.FindAll("[data-testid=calibration-temperature]")); // no validation images: nothing to fit on

        // Twenty over-confident validation images (all at 0.02 or 0.98, a quarter of them wrong): T > 1 softens them.
        var validation = Enumerable.Range(0, 20).Select(i => new ResultImage($"train/v{i}.jpeg", i % 2 == 0 ? Core.Dataset.Label.Pneumonia : Core.Dataset.Label.Normal,
            (i % 2 == 0) == (i % 8 < 6) ? 0.98f : 0.02f, null)).ToList();
        var fitted = _ctx.Render<RunResultsView>(p => p.Add(v => v.Results, ResultsTestData.Run(0.5, 0, validation)));
        var sentence = System.Text.RegularExpressions.Regex.Replace(fitted.Find("[data-testid=calibration-temperature]").TextContent, @"\s+", " ");
        Assert.Contains("fitted on the 20 validation images", sentence);
        Assert.Contains("over-confident", sentence);
        Assert.True(ResultsTestData.Run(0.5, 0, validation).Temperature!.Temperature > 1);
    }

    [Fact]
    public async Task A_click_on_a_cell_of_the_confusion_matrix_opens_its_images_with_their_probabilities()
    {
        var view = Render();
        Assert.Equal("wrong", view.Find("[data-testid=misclassified]").GetAttribute("data-cell"));
        await Cell(view, "tp").ClickAsync(new MouseEventArgs());
        var gallery = view.Find("[data-testid=misclassified]");
        Assert.Equal(("tp", "4"), (gallery.GetAttribute("data-cell"), gallery.GetAttribute("data-count")));
        var images = view.FindAll("[data-testid=misclassified-image]");
        Assert.Equal(4, images.Count);
        Assert.All(images, i => Assert.Equal("PNEUMONIA", i.GetAttribute("data-label")));
        var probabilities = images.Select(i => double.Parse(i.GetAttribute("data-probability")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(probabilities, p => Assert.True(p >= 0.5));
        Assert.Equal(probabilities.OrderBy(p => p - 0.5), probabilities); // least sure first
        Assert.Contains("called PNEUMONIA", images[0].TextContent);

        await Cell(view, "fp").ClickAsync(new MouseEventArgs());
        Assert.Equal(("fp", "2"), (view.Find("[data-testid=misclassified]").GetAttribute("data-cell"), view.Find("[data-testid=misclassified]").GetAttribute("data-count")));
        Assert.All(view.FindAll("[data-testid=misclassified-image]"), i => Assert.Equal("NORMAL", i.GetAttribute("data-label")));
        await view.Find("[data-testid=misclassified-tn]").ClickAsync(new MouseEventArgs());
        Assert.Equal("3", view.Find("[data-testid=misclassified]").GetAttribute("data-count"));
    }

    [Fact]
    public async Task Every_figure_shows_its_95_percent_interval_around_it_at_the_runs_threshold_and_none_at_a_threshold_picked_on_test()
    {
        var view = Render();
        double Bound(string metric, string which) =>
            double.Parse(view.Find($"[data-metric={metric}] [data-testid=metric-interval]").GetAttribute($"data-{which}")!, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var metric in new[] { "accuracy", "auc", "sensitivity", "specificity", "precision", "f1" })
        {
            var value = double.Parse(Metric(view, metric), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(value, Bound(metric, "lower") - 1e-9, Bound(metric, "upper") + 1e-9);
            Assert.True(Bound(metric, "lower") < Bound(metric, "upper"), metric);
        }
        // The same intervals as the Core's bootstrap of the same ten images (seeded).
        var expected = BootstrapIntervals.Compute(ResultsTestData.Run(0.5, 0).Labels, ResultsTestData.Run(0.5, 0).Probabilities, 0.5);
        Assert.Equal(expected.Sensitivity.Lower, Bound("sensitivity", "lower"), 4);
        Assert.Contains("2,000 resamples", view.Find("[data-testid=interval-method]").TextContent);
        Assert.Empty(view.FindAll("[data-metric=average-precision] [data-testid=metric-interval]"));

        // A threshold picked on the slider (by looking at the test images) gets no interval, and the page says why.
        await Slide(view, "0.75");
        Assert.Empty(view.FindAll("[data-testid=metric-interval]"));
        Assert.Contains("run's own threshold only", view.Find("[data-testid=interval-method]").TextContent);
    }

    [Fact]
    public async Task Results_threshold_slider_recomputes_the_matrix_metrics_report_and_gallery_and_reset_restores_the_run()
    {
        var view = Render();
        await Slide(view, "0.75");

        Assert.Equal((4, 1, 2, 3), (Count(view, "tn"), Count(view, "fp"), Count(view, "fn"), Count(view, "tp")));
        Assert.Equal("0.6000", Metric(view, "sensitivity"));
        Assert.Equal("0.8000", Metric(view, "specificity"));
        Assert.Equal("0.8600", Metric(view, "auc"));
        Assert.Equal("0.80", view.Find("[data-row=normal] [data-col=recall]").TextContent);
        Assert.Equal("0.75", view.Find("[data-testid=results-threshold]").TextContent);
        Assert.Contains("flatter", view.Find("[data-testid=results-provenance]").TextContent);
        // Wrong at 0.75: NORMAL 0.8, PNEUMONIA 0.4 and 0.7; the most confidently wrong (0.8 for a healthy child) first.
        var wrong = view.FindAll("[data-testid=misclassified-image]").Select(e => e.GetAttribute("data-probability")).ToList();
        Assert.Equal(["0.8000", "0.4000", "0.7000"], wrong);

        await view.Find("[data-testid=threshold-reset]").ClickAsync(new MouseEventArgs());
        Assert.Equal((3, 2, 1, 4), (Count(view, "tn"), Count(view, "fp"), Count(view, "fn"), Count(view, "tp")));
        Assert.Equal("0.50", view.Find("[data-testid=results-threshold]").TextContent);
    }

    [Fact]
    public void Results_say_that_held_back_test_images_are_left_out_without_saying_how_many()
    {
        var view = Render(heldOut: 7);
        var text = view.Find("[data-testid=held-out]").TextContent;
        Assert.Contains("Test images a class leaderboard holds back are not shown", text);
        Assert.DoesNotContain("7", text);
    }

    [Fact]
    public void Results_link_the_three_downloads_and_show_the_settings_in_sections()
    {
        var view = Render();
        Assert.Equal("api/runs/42/download/checkpoint", view.Find("[data-testid=download-checkpoint]").GetAttribute("href"));
        Assert.Equal("api/runs/42/download/predictions", view.Find("[data-testid=download-predictions]").GetAttribute("href"));
        Assert.Equal("api/runs/42/download/settings", view.Find("[data-testid=download-settings]").GetAttribute("href"));
        var settings = view.Find("[data-testid=run-settings]").TextContent;
        Assert.Contains("Learning rate", settings);
        Assert.Contains("Block 1", settings);
        Assert.Contains("Rotation", settings);
    }
}
