using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Training.Native;
using PneumoniaPortal.Web.Components.Pages.RunSetup;

namespace PneumoniaPortal.Web.Tests.RunSetup;

public class NewRunPageTests : IAsyncLifetime
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    readonly RunSetupContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services only dispose asynchronously.
    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    static IElement Field(IRenderedComponent<NewRun> page, string field) => page.Find($".{FieldProblems.CssClass(field)}");

    // MudBlazor handles input asynchronously, so every event is awaited before the markup is read.
    static Task Enter(IRenderedComponent<NewRun> page, string field, string text) =>
        Field(page, field).QuerySelector("input")!.ChangeAsync(new ChangeEventArgs { Value = text });

    static Task Name(IRenderedComponent<NewRun> page, string text) =>
        Field(page, "Name").QuerySelector("input")!.InputAsync(new ChangeEventArgs { Value = text });

    static Task Press(IRenderedComponent<NewRun> page, string selector) => page.Find(selector).ClickAsync(new MouseEventArgs());

    static string ValueOf(IRenderedComponent<NewRun> page, string field) => Field(page, field).QuerySelector("input")!.GetAttribute("value") ?? "";

    static long ParamCount(IRenderedComponent<NewRun> page) => long.Parse(page.Find("[data-testid=param-count]").GetAttribute("data-params")!);

    static long Expected(ArchitectureSpec spec)
    {
        TorchRuntime.EnsureReady();
        using var net = new PneumoniaNet(spec);
        return LayerSummarizer.Summarize(net).TotalParameters;
    }

    [Fact]
    public async Task An_out_of_range_rotation_is_explained_beside_the_rotation_field_and_nothing_is_started()
    {
        var page = _ctx.RenderPage();
        await Name(page, "too much rotation");

        await Enter(page, "RotationDegrees", "400");

        const string message = "Rotation must be between 0 and 180 degrees; you entered 400 degrees.";
        Assert.Contains(message, Field(page, "RotationDegrees").TextContent);
        Assert.DoesNotContain(message, Field(page, "WidthShift").TextContent);
        Assert.Contains(message, page.Find("[data-testid=run-problems]").TextContent);
        var start = page.Find("[data-testid=start-run]");
        Assert.True(start.HasAttribute("disabled"));
        Assert.Empty(_ctx.Launcher.Requests);
    }

    [Fact]
    public async Task A_valid_form_starts_the_run_with_the_edited_settings_and_opens_it()
    {
        var page = _ctx.RenderPage();
        await Name(page, "  fewer epochs  ");
        await Enter(page, "Epochs", "3");
        await Enter(page, "RotationDegrees", "20");

        await Press(page, "[data-testid=start-run]");

        var request = Assert.Single(_ctx.Launcher.Requests);
        Assert.Equal("fewer epochs", request.Name);
        Assert.Equal(ArchitecturePresets.CpuDefault, request.Preset);
        Assert.Equal(3, request.Config.Training.Epochs);
        Assert.Equal(20, request.Config.Augmentation.RotationDegrees);
        Assert.Equal(RunPresets.Get(ArchitecturePresets.CpuDefault).Training with { Epochs = 3 }, request.Config.Training);
        Assert.EndsWith("/runs/7", _ctx.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task The_form_says_how_long_the_run_will_take_and_a_run_over_the_limit_is_explained_beside_epochs_and_not_started()
    {
        var page = _ctx.RenderPage();
        page.WaitForAssertion(() => Assert.Contains("About 12 min on this server: 12 epochs of", page.Find("[data-testid=run-estimate]").TextContent), Patience);
        await Name(page, "a long one");
        await Enter(page, "Epochs", "90");
        page.WaitForAssertion(() => Assert.Contains("runs here may take at most 60 min", Field(page, "Epochs").TextContent), Patience);
        Assert.Contains("on this server: 90 epochs of", page.Find("[data-testid=run-estimate]").TextContent);
        Assert.True(page.Find("[data-testid=start-run]").HasAttribute("disabled"));
        await Enter(page, "Epochs", "20");
        page.WaitForAssertion(() => Assert.DoesNotContain("at most 60 min", page.Markup), Patience);
        await Press(page, "[data-testid=start-run]");
        Assert.Equal(20, Assert.Single(_ctx.Launcher.Requests).Config.Training.Epochs);
    }

    [Fact]
    public async Task Two_seeds_start_a_group_open_its_page_and_price_both_runs()
    {
        var page = _ctx.RenderPage();
        await Name(page, "seeded");
        var seeds = page.FindComponent<MudBlazor.MudSelect<int>>();
        await page.InvokeAsync(() => seeds.Instance.ValueChanged.InvokeAsync(2));
        page.WaitForAssertion(() => Assert.Contains("2 runs take about", page.Find("[data-testid=group-estimate]").TextContent), Patience);
        Assert.Contains("Seeds 42 to 43", page.Markup);

        await Press(page, "[data-testid=start-run]");

        Assert.Equal(2, Assert.Single(_ctx.Launcher.Requests).Seeds);
        Assert.EndsWith("/groups/3", _ctx.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void A_run_without_a_name_is_not_started()
    {
        var page = _ctx.RenderPage();
        Assert.Contains("Give the run a name.", page.Find("[data-testid=run-problems]").TextContent);
        Assert.True(page.Find("[data-testid=start-run]").HasAttribute("disabled"));
        Assert.Empty(_ctx.Launcher.Requests);
    }

    [Fact]
    public async Task A_refusal_from_the_launcher_is_shown_and_the_page_stays()
    {
        _ctx.Launcher.Refused = Refusal.Invalid("You already have 3 runs waiting; wait for one to finish.");
        var page = _ctx.RenderPage();
        await Name(page, "one too many");

        await Press(page, "[data-testid=start-run]");

        Assert.Contains("You already have 3 runs waiting", page.Find("[data-testid=run-problems]").TextContent);
        Assert.DoesNotContain("/runs/", _ctx.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task Choosing_a_preset_fills_the_fields_of_all_three_sections()
    {
        var page = _ctx.RenderPage();
        await Enter(page, "Epochs", "99");

        await page.FindAll(".mud-toggle-item").Single(e => e.TextContent.Trim() == ArchitecturePresets.ResNet18).ClickAsync(new MouseEventArgs());

        var preset = RunPresets.Get(ArchitecturePresets.ResNet18);
        Assert.Equal("224", ValueOf(page, "InputSize"));
        Assert.Equal("3", ValueOf(page, "Channels"));
        Assert.Equal("64", ValueOf(page, "StemFilters"));
        Assert.Equal(preset.Architecture.Blocks.Count, page.FindAll("[data-testid^=block-]").Count(e => e.GetAttribute("data-testid") != "block-list"));
        Assert.Equal("512", ValueOf(page, "Blocks[3].Filters"));
        Assert.Equal(preset.Training.Epochs.ToString(), ValueOf(page, "Epochs"));
        Assert.Equal(preset.Augmentation.RotationDegrees.ToString(), ValueOf(page, "RotationDegrees"));
    }

    [Fact]
    public async Task Adding_removing_and_reordering_blocks_changes_the_layer_summary_and_parameter_count()
    {
        var cpuDefault = ArchitecturePresets.CpuDefaultSpec;
        var page = _ctx.RenderPage();
        page.WaitForAssertion(() => Assert.Equal(Expected(cpuDefault), ParamCount(page)), Patience);

        await Press(page, "[data-testid=add-block]");
        var added = cpuDefault with { Blocks = [.. cpuDefault.Blocks, new ConvBlockSpec(512, Convs: 2, Dropout: 0.2)] };
        page.WaitForAssertion(() => Assert.Equal(Expected(added), ParamCount(page)), Patience);
        Assert.Contains("block6", page.Find("[data-testid=layer-summary]").TextContent);

        await Press(page, "[aria-label='Remove block 6']");
        page.WaitForAssertion(() => Assert.Equal(Expected(cpuDefault), ParamCount(page)), Patience);
        Assert.DoesNotContain("block6", page.Find("[data-testid=layer-summary]").TextContent);

        await Press(page, "[aria-label='Move block 1 down']");
        var swapped = cpuDefault with { Blocks = [cpuDefault.Blocks[1], cpuDefault.Blocks[0], .. cpuDefault.Blocks.Skip(2)] };
        Assert.NotEqual(Expected(cpuDefault), Expected(swapped));
        page.WaitForAssertion(() => Assert.Equal(Expected(swapped), ParamCount(page)), Patience);
        Assert.Equal("32", ValueOf(page, "Blocks[0].Filters"));

        await Press(page, "[aria-label='Move block 2 up']");
        page.WaitForAssertion(() => Assert.Equal(Expected(cpuDefault), ParamCount(page)), Patience);
    }

    [Fact]
    public async Task An_impossible_network_shows_its_problems_instead_of_the_summary()
    {
        var page = _ctx.RenderPage();
        page.WaitForElement("[data-testid=param-count]", Patience);

        await Enter(page, "Blocks[1].Kernel", "4");

        Assert.Contains("Block 2: kernel size must be an odd number", Field(page, "Blocks[1].Kernel").TextContent);
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Block 2: kernel size", page.Find("[data-testid=summary-problems]").TextContent);
            Assert.Empty(page.FindAll("[data-testid=param-count]"));
        }, Patience);
    }

    [Fact]
    public async Task A_network_too_big_for_the_server_is_priced_not_built_for_its_summary()
    {
        // 8 blocks of 2,048 filters with 11x11 kernels: about 24 billion weights, some 90 GB if it were built.
        var spec = new ArchitectureSpec
        {
            InputSize = 128, Channels = 1,
            Blocks = Enumerable.Range(0, 8).Select(_ => new ConvBlockSpec(2048, Kernel: 11, Convs: 6, Downsample: false)).ToArray(),
        };
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var summary = await _ctx.Services.GetRequiredService<PneumoniaPortal.Web.RunSetup.ArchitectureSummaryService>().SummarizeAsync(spec);
        Assert.False(summary.IsValid);
        Assert.Contains("too big to build or train on this server", Assert.Single(summary.Problems));
        Assert.Empty(summary.Layers);
        Assert.True(GC.GetTotalMemory(forceFullCollection: false) - before < 100 << 20, "nothing the size of the network was allocated");
    }

    [Fact]
    public async Task A_network_over_fifty_million_weights_is_counted_not_built_and_can_still_be_started()
    {
        var page = _ctx.RenderPage();
        await Name(page, "wide end");
        // The last two blocks at 2,048 filters: about 114 million weights, within the server's memory but not built here.
        await Enter(page, "Blocks[3].Filters", "2048");
        await Enter(page, "Blocks[4].Filters", "2048");
        var spec = ArchitecturePresets.CpuDefaultSpec with
        {
            Blocks = [.. ArchitecturePresets.CpuDefaultSpec.Blocks.Take(3), ArchitecturePresets.CpuDefaultSpec.Blocks[3] with { Filters = 2048 },
                ArchitecturePresets.CpuDefaultSpec.Blocks[4] with { Filters = 2048 }],
        };
        var weights = NetworkCost.Of(spec).Parameters;
        Assert.True(weights > PneumoniaPortal.Web.RunSetup.ArchitectureSummaryService.MaxBuiltWeights);

        page.WaitForAssertion(() => Assert.Contains("Counted, not built", page.Find("[data-testid=summary-note]").TextContent), Patience);
        Assert.Equal((long)weights, ParamCount(page));
        Assert.Empty(page.FindAll("[data-testid=layer-summary]"));
        Assert.Empty(page.FindAll("[data-testid=summary-problems]"));

        await Enter(page, "Epochs", "1");
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=start-run]").HasAttribute("disabled")), Patience);
        await Press(page, "[data-testid=start-run]");
        Assert.Equal(2048, Assert.Single(_ctx.Launcher.Requests).Config.Architecture.Blocks[4].Filters);
    }

    [Fact]
    public async Task The_augmentation_preview_changes_with_a_reroll_and_with_the_settings()
    {
        var page = _ctx.RenderPage();
        string[] Sources() => [.. page.FindAll("[data-testid=aug-preview] img").Select(i => i.GetAttribute("src")!)];
        page.WaitForAssertion(() => Assert.Equal(8, Sources().Length), Patience);
        var first = Sources();
        Assert.All(first, s => Assert.StartsWith("data:image/png;base64,", s));

        await Press(page, "[data-testid=aug-reroll]");
        page.WaitForAssertion(() => Assert.All(Sources().Zip(first), p => Assert.NotEqual(p.Second, p.First)), Patience);
        var rerolled = Sources();

        await Enter(page, "RotationDegrees", "45");
        page.WaitForAssertion(() => Assert.All(Sources().Zip(rerolled), p => Assert.NotEqual(p.Second, p.First)), Patience);
    }
}
