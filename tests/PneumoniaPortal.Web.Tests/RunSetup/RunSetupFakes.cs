using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.RunSetup;

namespace PneumoniaPortal.Web.Tests.RunSetup;

/// <summary>Stands in for the training queue: records every request and queues run 7, or throws <see cref="Refused"/> when set.</summary>
public sealed class FakeRunLauncher : IRunLauncher
{
    public List<StartRunRequest> Requests { get; } = [];
    public Refusal? Refused { get; set; }

    public Task<StartedRuns> StartAsync(StartRunRequest request, CancellationToken ct = default)
    {
        Requests.Add(request);
        return Refused is { } refused ? Task.FromException<StartedRuns>(refused)
            : Task.FromResult(request.Seeds > 1 ? new StartedRuns(7, 3, [.. Enumerable.Range(7, request.Seeds)]) : new StartedRuns(7, null, [7]));
    }

    /// <summary>How the fake prices a run: the real estimate at the reference speed, with a 60-minute limit.</summary>
    public Task<RunCostCheck?> EstimateAsync(Core.Settings.RunConfig config, int seeds = 1, CancellationToken ct = default)
    {
        var estimate = Core.Runs.RunEstimate.For(config, 5216, 624, Core.Runs.ComputeSpeed.Reference);
        IReadOnlyList<Core.Settings.SettingsProblem> problems = estimate.TotalSeconds > 3600
            ? [new("Training.Epochs", $"This run would take {Core.Runs.RunEstimate.Describe(estimate.TotalSeconds)} on this server; runs here may take at most 60 min.")]
            : [];
        return Task.FromResult<RunCostCheck?>(new RunCostCheck(estimate, problems));
    }
}

public static class SampleImages
{
    /// <summary>A few training images of the shipped sample, three of each class, without scanning the whole set.</summary>
    public static ImageCatalog Catalog()
    {
        var records = new[] { ("NORMAL", Label.Normal), ("PNEUMONIA", Label.Pneumonia) }
            .SelectMany(c => Directory.GetFiles(Path.Combine(TestData.SampleRoot, "train", c.Item1)).Order().Take(3)
                .Select(f => new ImageRecord($"train/{c.Item1}/{Path.GetFileName(f)}", Split.Train, c.Item2, "", 0, 0, "", 0)));
        return new ImageCatalog(TestData.SampleRoot, "", false, records);
    }

    public static AugmentationPreviewService Previews()
    {
        var catalog = Catalog();
        var visible = VisibleDataset.Everything(new LoadedDataset(1, "sample", catalog, DatasetStatistics.From(catalog)));
        return new AugmentationPreviewService(_ => Task.FromResult(visible));
    }
}

/// <summary>A bUnit context with MudBlazor, the run set-up services, the sample images and a fake launcher.</summary>
public sealed class RunSetupContext : BunitContext
{
    public FakeRunLauncher Launcher { get; } = new();

    public RunSetupContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddOptions();
        Services.AddSingleton<IRunLauncher>(Launcher);
        Services.AddSingleton(SampleImages.Previews());
        Services.AddSingleton<ArchitectureSummaryService>();
    }

    public IRenderedComponent<Components.Pages.RunSetup.NewRun> RenderPage()
    {
        // MudSelect's lists open in a popover, which needs a provider on the page.
        Render<MudPopoverProvider>();
        return Render<Components.Pages.RunSetup.NewRun>();
    }
}
