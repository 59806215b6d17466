using MathNet.Numerics.Distributions;

namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// Two models' AUCs on the same images compared with DeLong's test (DeLong, DeLong &amp; Clarke-Pearson, Biometrics
/// 1988): each AUC's structural components (for every PNEUMONIA image, the share of NORMAL images it outranks, ties
/// counting half; for every NORMAL image, the share of PNEUMONIA images that outrank it) give the variance of the
/// difference B - A, including the two models' covariance. Defined is false when that variance is 0 (each run ranks
/// every image of a label alike, e.g. both separate the labels perfectly, one gives every image the same score, or
/// both rank alike): then there is no interval and no test, and P is NaN.
/// </summary>
public sealed record PairedAucComparison(double AucA, double AucB, double Difference, double StandardError, double Lower, double Upper, double Z, double P)
{
    public bool Defined { get; init; } = true;

    public static PairedAucComparison Compute(IReadOnlyList<int> labels, IReadOnlyList<float> a, IReadOnlyList<float> b, double level = 0.95)
    {
        PredictionInput.Validate(labels, a);
        PredictionInput.Validate(labels, b);
        var positives = Enumerable.Range(0, labels.Count).Where(i => labels[i] == 1).ToArray();
        var negatives = Enumerable.Range(0, labels.Count).Where(i => labels[i] == 0).ToArray();
        if (positives.Length < 2 || negatives.Length < 2)
            throw new ArgumentException("Comparing AUCs needs at least 2 PNEUMONIA and 2 NORMAL images.", nameof(labels));

        var (aucA, v10A, v01A) = Components(a, positives, negatives);
        var (aucB, v10B, v01B) = Components(b, positives, negatives);
        double s10 = Variance(v10A) + Variance(v10B) - 2 * Covariance(v10A, v10B);
        double s01 = Variance(v01A) + Variance(v01B) - 2 * Covariance(v01A, v01B);
        double variance = Math.Max(0, s10 / positives.Length + s01 / negatives.Length);
        double difference = aucB - aucA, se = Math.Sqrt(variance);
        double zCritical = Normal.InvCDF(0, 1, 1 - (1 - level) / 2);
        if (se == 0)
            return new PairedAucComparison(aucA, aucB, difference, 0, difference, difference, 0, double.NaN) { Defined = false };
        double z = difference / se;
        double p = Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new PairedAucComparison(aucA, aucB, difference, se, difference - zCritical * se, difference + zCritical * se, z, p);
    }

    /// <summary>The AUC and its structural components V10 (one per PNEUMONIA image) and V01 (one per NORMAL image).</summary>
    static (double Auc, double[] V10, double[] V01) Components(IReadOnlyList<float> scores, int[] positives, int[] negatives)
    {
        var v10 = new double[positives.Length];
        var v01 = new double[negatives.Length];
        for (int i = 0; i < positives.Length; i++)
            for (int j = 0; j < negatives.Length; j++)
            {
                float x = scores[positives[i]], y = scores[negatives[j]];
                double psi = x > y ? 1 : x == y ? 0.5 : 0;
                v10[i] += psi;
                v01[j] += psi;
            }
        for (int i = 0; i < v10.Length; i++) v10[i] /= negatives.Length;
        for (int j = 0; j < v01.Length; j++) v01[j] /= positives.Length;
        return (v10.Average(), v10, v01);
    }

    static double Variance(double[] x) => Covariance(x, x);

    /// <summary>The sample covariance (divided by n - 1), as DeLong et al. define S10 and S01.</summary>
    static double Covariance(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (x[i] - mx) * (y[i] - my);
        return sum / (x.Length - 1);
    }
}
