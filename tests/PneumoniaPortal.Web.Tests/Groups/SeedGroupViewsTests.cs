using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Web.Components.Pages.Compare;
using PneumoniaPortal.Web.Components.Pages.Leaderboards;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Groups;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.Web.Tests.Groups;

/// <summary>The views of issue 16's groups and leaderboard figures, rendered alone.</summary>
public sealed class SeedGroupViewsTests : IAsyncLifetime
{
    readonly BunitContext _ctx = new();

    public SeedGroupViewsTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    static SeedGroupView Group(int id, string name, params double[] aucs)
    {
        var runs = aucs.Select((_, i) => new RunListItem(id * 10 + i, $"{name} · seed {i}", "Ada", "tiny", RunStatus.Succeeded, 2, 2, 0.9, 0.95, 0.2, 2,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, true, id, name)).ToList();
        var values = aucs.Select(a => (double?)a).ToList();
        return new SeedGroupView(id, name, "Ada", true, true, false, 1, 1, runs, runs.Count,
            [new GroupFigure("auc", "Test AUC", "number", "test", SeedSpread.Of(values), values)], []);
    }

    [Fact]
    public void Compare_shows_each_groups_mean_and_sd_and_the_verdict_and_a_hostile_name_as_text()
    {
        var a = Group(1, "<img src=x onerror=alert(1)>", 0.90, 0.92);
        var b = Group(2, "wider", 0.95, 0.97, 0.96);
        var comparison = SeedGroupComparison.Compute([0.90, 0.92], [0.95, 0.97, 0.96]);
        var view = new SeedGroupComparisonView([a, b],
            [new SeedGroupPair(1, 2, "auc", comparison, comparison.Sentence("test AUC", SeedGroupService.Label(a), SeedGroupService.Label(b)), true)], []);

        var rendered = _ctx.Render<CompareGroups>(p => p.Add(x => x.Comparison, view));

        var cells = rendered.FindAll("[data-testid=compare-group-auc]").Select(c => c.TextContent).ToList();
        Assert.Equal(["0.910 ± 0.014", "0.960 ± 0.010"], cells);
        Assert.Contains("mean test AUC is 0.050 higher", rendered.Find("[data-testid=compare-group-verdict]").TextContent);
        Assert.Empty(rendered.FindAll("img"));
        Assert.Contains("<img src=x onerror=alert(1)>", rendered.Find("[data-testid=compare-groups-table]").TextContent);
    }

    [Fact]
    public void The_public_ranking_shows_each_scores_interval_and_its_chance_of_staying_ahead_and_the_private_one_does_not()
    {
        IReadOnlyList<LeaderboardEntry> entries =
        [
            new(1, "Ada", DateTimeOffset.UtcNow, "tiny", 10, 0.9512, true, 3, 2, null, 0.91, 0.98, 0.64),
            new(2, "Bo", DateTimeOffset.UtcNow, "tiny", 10, 0.9401, false, null, 1, null, 0.90, 0.97, null),
        ];
        var table = _ctx.Render<RankingTable>(p => p.Add(x => x.Entries, entries).Add(x => x.Title, "Public").Add(x => x.ScoreName, "AUC").Add(x => x.Uncertainty, true));
        Assert.Equal(["(0.910-0.980)", "(0.900-0.970)"], table.FindAll("[data-testid=leaderboard-interval]").Select(c => c.TextContent.Trim()));
        Assert.Equal(["64%", ""], table.FindAll("[data-testid=leaderboard-ahead]").Select(c => c.TextContent.Trim()));

        var plain = _ctx.Render<RankingTable>(p => p.Add(x => x.Entries, entries).Add(x => x.Title, "Private").Add(x => x.ScoreName, "AUC"));
        Assert.Empty(plain.FindAll("[data-testid=leaderboard-interval]"));
        Assert.Empty(plain.FindAll("[data-testid=leaderboard-ahead]"));
    }
}
