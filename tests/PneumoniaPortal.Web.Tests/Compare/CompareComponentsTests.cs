using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PneumoniaPortal.Web.Compare;
using PneumoniaPortal.Web.Components.Pages.Compare;

namespace PneumoniaPortal.Web.Tests.Compare;

public sealed class CompareComponentsTests : IAsyncLifetime
{
    readonly BunitContext _ctx = new();

    public CompareComponentsTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    static RunComparison AB() => new([CompareTestRuns.A(), CompareTestRuns.B()]);

    [Fact]
    public void Metrics_table_highlights_the_best_run_of_each_row_including_lower_is_better_rows()
    {
        var table = _ctx.Render<CompareMetricsTable>(p => p.Add(x => x.Comparison, AB()));

        string[] BestRuns(string row) =>
            table.FindAll($"[data-testid=compare-metrics] tr[data-row='{row}'] td[data-best=true]").Select(td => td.GetAttribute("data-run")!).ToArray();
        Assert.Equal(["2"], BestRuns("Test accuracy"));
        Assert.Equal(["1"], BestRuns("Parameters"));
        Assert.Equal(["2"], BestRuns("Training time"));
        Assert.Empty(BestRuns("Epochs trained"));
        Assert.Contains("75.0 %", table.Find("tr[data-row='Test accuracy'] td[data-run='2']").TextContent);
        Assert.Contains("compare-best", table.Find("tr[data-row='Test accuracy'] td[data-run='2']").ClassName);
    }

    [Fact]
    public async Task Settings_diff_shows_only_differing_rows_until_all_are_asked_for()
    {
        var comparison = AB();
        var diff = _ctx.Render<CompareSettingsDiff>(p => p.Add(x => x.Comparison, comparison));
        var rows = diff.FindAll("tr[data-field]");
        Assert.Equal(comparison.DifferingSettings.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal("true", r.GetAttribute("data-differs")));
        Assert.Contains(rows, r => r.GetAttribute("data-field") == "Training.LearningRate");

        await diff.Find("input[data-testid=compare-settings-all]").ChangeAsync(new ChangeEventArgs { Value = true });

        Assert.Equal(comparison.Settings.Count, diff.FindAll("tr[data-field]").Count);
        Assert.Contains(diff.FindAll("tr[data-field]"), r => r.GetAttribute("data-field") == "Training.Epochs" && r.GetAttribute("data-differs") == "false");
    }

    [Fact]
    public void Image_grid_shows_each_runs_verdict_and_probability()
    {
        var comparison = AB();
        var grid = _ctx.Render<CompareImageGrid>(p => p
            .Add(x => x.Images, comparison.Disputed).Add(x => x.Runs, comparison.ComparableRuns).Add(x => x.TestId, "compare-disagreement"));

        var image = grid.Find("[data-testid=compare-disagreement] [data-testid=compare-image]");
        Assert.Equal("test/NORMAL/n2.jpeg", image.GetAttribute("data-path"));
        Assert.Equal("api/dataset/images/id1/thumb", image.QuerySelector("img")!.GetAttribute("src"));
        var verdicts = image.QuerySelectorAll(".compare-verdict").Select(v => v.TextContent.Trim()).ToArray();
        Assert.Equal(["#1 ✗ 0.600", "#2 ✓ 0.300"], verdicts);
    }
}
