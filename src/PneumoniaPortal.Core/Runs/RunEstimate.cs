using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Core.Runs;

/// <summary>What a run will cost the worker it trains on, worked out from its settings before it is queued.</summary>
/// <param name="EpochSeconds">One epoch over the training and validation images.</param>
/// <param name="TotalSeconds">
/// Every planned epoch, plus the final evaluation: each kept checkpoint (up to <c>EnsembleTopCheckpoints</c>) over the
/// validation and test images, twice with test-time augmentation.
/// </param>
/// <param name="BatchMemoryBytes">One training batch: layer outputs and their gradients, weights, gradients, optimizer state.</param>
public sealed record RunEstimate(NetworkCost Cost, int TrainImages, int ValidationImages, int TestImages, int Epochs,
    double EpochSeconds, double TotalSeconds, double BatchMemoryBytes, ComputeSpeed Speed)
{
    public double BatchMemoryMiB => BatchMemoryBytes / (1 << 20);

    /// <param name="poolImages">Train and val images of the data set (the validation share is carved from them).</param>
    public static RunEstimate For(RunConfig config, int poolImages, int testImages, ComputeSpeed speed)
    {
        var t = config.Training;
        var cost = NetworkCost.Of(config.Architecture);
        var validation = (int)Math.Round(poolImages * Math.Clamp(t.ValidationFraction, 0, 1));
        var train = poolImages - validation;
        if (t.MaxTrainImages > 0 && t.MaxTrainImages < poolImages)
        {
            train = (int)Math.Round(train * (double)t.MaxTrainImages / poolImages);
            validation = (int)Math.Round(validation * (double)t.MaxTrainImages / poolImages);
        }
        var epoch = speed.Correction * speed.RawEpochSeconds(cost, train, validation);
        var passes = Math.Clamp(t.EnsembleTopCheckpoints, 1, Math.Max(1, t.Epochs)) * (t.TestTimeAugmentation ? 2 : 1);
        var evaluation = speed.Correction * passes * (validation + testImages) * speed.RawEvaluationSeconds(cost);
        return new RunEstimate(cost, train, validation, testImages, t.Epochs, epoch, epoch * t.Epochs + evaluation,
            cost.BatchMemoryBytes(t.BatchSize), speed);
    }

    /// <summary>"about 9 min", "about 3 h", "under a minute", in the words the form shows.</summary>
    public static string Describe(double seconds) => seconds switch
    {
        < 60 => "under a minute",
        < 90 * 60 => $"about {Math.Max(1, Math.Round(seconds / 60))} min",
        < 48 * 3600 => $"about {Math.Round(seconds / 3600, seconds < 10 * 3600 ? 1 : 0)} h",
        < 3650 * 86400 => $"about {Math.Round(seconds / 86400):N0} days",
        _ => "more than ten years",
    };
}
