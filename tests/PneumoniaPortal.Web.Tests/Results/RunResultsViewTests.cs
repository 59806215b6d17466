using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Web.Components.Pages.Results;
using PneumoniaPortal.Web.Components.Shared;

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
    public async Task Every_figure_shows_its_95_percent_interval_around_it_and_the_slider_moves_them()
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

        await Slide(view, "0.75");
        var moved = BootstrapIntervals.Compute(ResultsTestData.Run(0.5, 0).Labels, ResultsTestData.Run(0.5, 0).Probabilities, 0.75);
        Assert.Equal(moved.Sensitivity.Upper, Bound("sensitivity", "upper"), 4);
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
