using PneumoniaPortal.Web.Activations;

namespace PneumoniaPortal.Web.Results;

/// <summary>
/// Predicts PNEUMONIA for an uploaded image with one of the viewer's visible, finished runs; refused as not found (the
/// run may not be seen or has no results), invalid (not an image), too many (rate limit) or busy (the queue is full).
/// </summary>
public interface IRunPredictor
{
    Task<PredictionResult> PredictAsync(int runId, byte[] upload, string fileName, IProgress<ActivationProgress>? progress = null, CancellationToken ct = default);
}
