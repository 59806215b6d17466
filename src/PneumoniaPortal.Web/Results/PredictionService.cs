using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Activations;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Results;

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
