using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Activations;

/// <summary>
/// What a run's network does with one test image: one mosaic per conv block, the Grad-CAM overlay and the input as the
/// network sees it, all saved under <c>activations/&lt;Key&gt;/</c> in the run folder.
/// </summary>
public sealed record ActivationSet(
    string ImagePath, Label Label, float RunProbability, int InputSize, string Key,
    IReadOnlyList<ActivationLayer> Layers, string GradCamFile, string InputFile, double Seconds, DateTime ComputedAt)
{
    /// <summary>True when this answer was read from the cache rather than computed now.</summary>
    public bool FromCache { get; init; }

    public static string FileUrl(int runId, string key, string file) => $"api/runs/{runId}/activations/{key}/{file}";
}
