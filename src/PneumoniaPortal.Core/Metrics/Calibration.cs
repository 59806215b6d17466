namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// One bin of a reliability diagram: the images whose probability falls in [Lower, Upper) (the last bin includes 1),
/// their mean predicted probability and the fraction of them that truly are PNEUMONIA.
/// </summary>
public sealed record CalibrationBin(double MeanPredicted, double FractionPositive, int Count)
{
    public double Lower { get; init; }
    public double Upper { get; init; }
}

/// <summary>
/// How far the model's probabilities can be taken at face value. Bins are equal-width on [0, 1] and only non-empty bins
/// are listed, as sklearn's calibration_curve(strategy="uniform"). ExpectedCalibrationError is the count-weighted mean
/// gap |FractionPositive - MeanPredicted| over the bins; BrierScore is the mean squared error of the probabilities.
/// </summary>
public sealed record Calibration(IReadOnlyList<CalibrationBin> Bins, double BrierScore, double ExpectedCalibrationError)
{
    public static Calibration From(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities, int bins = 10)
    {
        PredictionInput.Validate(labels, probabilities);
        if (bins < 1)
            throw new ArgumentException($"A reliability diagram needs at least 1 bin; you asked for {bins}.", nameof(bins));

        int n = labels.Count;
        var counts = new int[bins];
        var predictedSums = new double[bins];
        var positiveCounts = new int[bins];
        double squaredErrors = 0;
        for (int i = 0; i < n; i++)
        {
            double p = probabilities[i];
            // A probability of exactly 1 belongs in the last bin, not in a bin past the end.
            int bin = Math.Min((int)(p * bins), bins - 1);
            counts[bin]++;
            predictedSums[bin] += p;
            positiveCounts[bin] += labels[i];
            squaredErrors += (p - labels[i]) * (p - labels[i]);
        }

        var result = new List<CalibrationBin>();
        double weightedGaps = 0;
        for (int b = 0; b < bins; b++)
        {
            if (counts[b] == 0) continue;
            double meanPredicted = predictedSums[b] / counts[b];
            double fractionPositive = (double)positiveCounts[b] / counts[b];
            weightedGaps += counts[b] * Math.Abs(fractionPositive - meanPredicted);
            result.Add(new CalibrationBin(meanPredicted, fractionPositive, counts[b])
            {
                Lower = (double)b / bins,
                Upper = (double)(b + 1) / bins,
            });
        }

        return new Calibration(result, ConfusionMatrix.Ratio(squaredErrors, n), ConfusionMatrix.Ratio(weightedGaps, n));
    }
}
