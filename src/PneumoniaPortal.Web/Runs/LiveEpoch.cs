using PneumoniaPortal.Core.Runs;

namespace PneumoniaPortal.Web.Runs;

/// <summary>One finished epoch, as sent to the run page and stored in <see cref="Data.RunEpoch"/>.</summary>
public sealed record LiveEpoch(int Epoch, LiveSplit Train, LiveSplit Validation, double? LearningRate, double Seconds, double ImagesPerSecond, double DataWaitFraction, bool IsBest)
{
    public static LiveEpoch From(EpochMetrics m) => new(m.Epoch, LiveSplit.From(m.Train), LiveSplit.From(m.Validation),
        LiveSplit.N(m.LearningRate), m.Seconds, m.ImagesPerSecond, m.DataWaitFraction, m.IsBest);
}
