using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Activations;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Results;

/// <summary>A finished run's answer for one uploaded X-ray. Nothing of the upload is kept on the server.</summary>
public sealed record PredictionResult(float Probability, Label Label, double Threshold, byte[] GradCamPng, byte[] InputPng, int InputSize)
{
    public string LabelName => Label == Label.Pneumonia ? "PNEUMONIA" : "NORMAL";
}

/// <summary>
/// Predicts PNEUMONIA for an uploaded image with one of the viewer's visible, finished runs; refused as not found (the
/// run may not be seen or has no results), invalid (not an image), too many (rate limit) or busy (the queue is full).
/// </summary>
public interface IRunPredictor
{
    Task<PredictionResult> PredictAsync(int runId, byte[] upload, string fileName, IProgress<ActivationProgress>? progress = null, CancellationToken ct = default);
}

public sealed class PredictionService(RunResultsService results, ActivationQueue queue, CurrentUser currentUser, RateLimits limits) : IRunPredictor
{
    public async Task<PredictionResult> PredictAsync(int runId, byte[] upload, string fileName, IProgress<ActivationProgress>? progress = null, CancellationToken ct = default)
    {
        if (await results.LoadAsync(runId, ct) is not { } run)
            throw Refusal.NotFound($"Run {runId} does not exist, has no test results yet, or is not yours to see.");
        if (PredictionUpload.Problem(upload, fileName) is { } problem) throw Refusal.Invalid(problem);
        var viewer = await currentUser.GetAsync();
        if (limits.TryTake(LimitedAction.Predict, viewer.Id, currentUser.Address) is { } tooMany) throw Refusal.TooMany(tooMany);
        try
        {
            return await queue.RunAsync(run.FolderPath, (trained, say) =>
            {
                var gray = trained.Decode(upload);
                say("Predicting");
                var probability = trained.Predict(gray);
                say("Computing Grad-CAM");
                var (cam, _, _) = ActivationExplorer.GradCam(trained, gray);
                return new PredictionResult(probability, probability >= run.Threshold ? Label.Pneumonia : Label.Normal, run.Threshold,
                    cam, ImageDecoder.EncodePng(gray, trained.InputSize, trained.InputSize), trained.InputSize);
            }, progress, ct);
        }
        catch (InvalidDataException e)
        {
            throw new Refusal(RefusalKind.Invalid, PredictionUpload.DecodeProblem(fileName, e), e);
        }
    }
}
