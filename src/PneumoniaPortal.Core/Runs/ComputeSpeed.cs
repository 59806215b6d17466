using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Core.Runs;

/// <summary>
/// How fast one worker trains, in the two costs of <see cref="NetworkCost"/>: seconds per multiply-add (bound by
/// arithmetic) and per activation value (bound by memory: normalisation, activation and pooling layers, and the
/// convolutions' own reads and writes), for one image of a training step. <see cref="Correction"/> is what the
/// worker's real epochs took over what these two predicted (their moving average), so estimates learn from runs.
/// </summary>
public sealed record ComputeSpeed(double SecondsPerMac, double SecondsPerValue, double Correction, string Device, DateTimeOffset MeasuredAt)
{
    /// <summary>
    /// This project's reference machine (2 CPU cores, docs/benchmarks.md "Run cost estimate"): used until a worker has
    /// measured itself. A slower worker corrects it after its first epoch.
    /// </summary>
    public static ComputeSpeed Reference { get; } = new(9.1e-12, 4.35e-9, 1.0, "cpu (reference)", DateTimeOffset.UnixEpoch);

    /// <summary>One image of a training step (forward, backward, optimizer), before <see cref="Correction"/>.</summary>
    public double RawTrainingSeconds(NetworkCost cost) => cost.TrainingMacs * SecondsPerMac + cost.ActivationValues * SecondsPerValue;

    /// <summary>One image of an evaluation pass (forward only, nothing kept for a backward pass), before <see cref="Correction"/>.</summary>
    public double RawEvaluationSeconds(NetworkCost cost) => cost.ForwardMacs * SecondsPerMac + cost.ActivationValues / 3 * SecondsPerValue;

    /// <summary>What one epoch should take: the training images once through a training step, the validation images evaluated.</summary>
    public double RawEpochSeconds(NetworkCost cost, int trainImages, int validationImages) =>
        trainImages * RawTrainingSeconds(cost) + validationImages * RawEvaluationSeconds(cost);

    /// <summary>
    /// After a real epoch: the correction moves towards what this epoch says, a third of the way for an epoch of a minute
    /// or more of predicted compute and by the square of its share of a minute for shorter ones (a 6 s epoch moves it a
    /// hundredth as far), whose time is mostly the fixed costs this model leaves out (so a student training a tiny
    /// network for many epochs cannot inflate everyone's estimates).
    /// It stays between a fifth and five times what the two measured costs predict.
    /// </summary>
    public ComputeSpeed Learn(double predictedRawSeconds, double actualSeconds, DateTimeOffset at)
    {
        if (predictedRawSeconds <= 0 || actualSeconds <= 0 || !double.IsFinite(actualSeconds / predictedRawSeconds)) return this;
        var seen = Math.Clamp(actualSeconds / predictedRawSeconds, MinCorrection, MaxCorrection);
        var weight = Math.Pow(Math.Min(1, predictedRawSeconds / 60), 2) / 3;
        return this with { Correction = Math.Clamp(Correction + (seen - Correction) * weight, MinCorrection, MaxCorrection), MeasuredAt = at };
    }

    public const double MinCorrection = 0.2, MaxCorrection = 5;
}
