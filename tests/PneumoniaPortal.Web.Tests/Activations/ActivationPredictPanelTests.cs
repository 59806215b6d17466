using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PneumoniaPortal.Web.Activations;
using PneumoniaPortal.Web.Components.Pages.Results;
using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Tests.Activations;

/// <summary>Answers with the real upload checks, and a fixed prediction for files that pass them.</summary>
sealed class CheckingPredictor : IRunPredictor
{
    public int Calls { get; private set; }

    public Task<PredictionResult> PredictAsync(int runId, byte[] upload, string fileName, IProgress<ActivationProgress>? progress = null, CancellationToken ct = default)
    {
        Calls++;
        return PredictionUpload.Problem(upload, fileName) is { } problem
            ? Task.FromException<PredictionResult>(Refusal.Invalid(problem))
            : Task.FromResult(new PredictionResult(0.875f, Core.Dataset.Label.Pneumonia, 0.5, [], [], 48));
    }
}

public sealed class ActivationPredictPanelTests : IAsyncLifetime
{
    readonly BunitContext _ctx = new();
    readonly CheckingPredictor _predictor = new();

    public ActivationPredictPanelTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton<IRunPredictor>(_predictor);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    [Fact]
    public void A_text_file_renamed_jpg_shows_a_clear_error_and_no_result()
    {
        var panel = _ctx.Render<RunPredictPanel>(p => p.Add(x => x.RunId, 3));

        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("not an x-ray at all", "homework.jpg"));

        panel.WaitForAssertion(() => Assert.Contains("homework.jpg is not a JPEG or PNG image: it looks like a text file",
            panel.Find("[data-testid=predict-error]").TextContent));
        Assert.Empty(panel.FindAll("[data-testid=predict-result]"));
        Assert.Equal(1, _predictor.Calls);
    }

    [Fact]
    public void A_good_image_shows_the_probability_and_the_label()
    {
        var panel = _ctx.Render<RunPredictPanel>(p => p.Add(x => x.RunId, 3));
        var jpeg = File.ReadAllBytes(Directory.GetFiles(Path.Combine(PneumoniaPortal.Tests.Shared.TestData.SampleRoot, "test", "PNEUMONIA"))[0]);

        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(jpeg, "xray.jpeg", contentType: "image/jpeg"));

        panel.WaitForAssertion(() => Assert.Contains("PNEUMONIA", panel.Find("[data-testid=predict-label]").TextContent));
        Assert.Contains("0.875", panel.Find("[data-testid=predict-probability]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=predict-error]"));
    }
}
