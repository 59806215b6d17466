using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// Two seed groups' means of one figure compared with Welch's t-test (unequal variances): the difference B - A, its
/// 95% interval and the two-sided p-value. The runs of a group are the samples, so the interval says how sure the
/// difference is given how much the seeds alone move the figure. Needs two runs in each group and some spread;
/// <see cref="Defined"/> is false otherwise (P is then NaN).
/// </summary>
public sealed record SeedGroupComparison(double MeanA, double MeanB, int CountA, int CountB, double Difference, double Lower, double Upper,
    double DegreesOfFreedom, double P, bool Defined)
{
    public static SeedGroupComparison Compute(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0) throw new ArgumentException("Each group needs at least one value.");
        double meanA = a.Mean(), meanB = b.Mean(), difference = meanB - meanA;
        if (a.Count < 2 || b.Count < 2)
            return new(meanA, meanB, a.Count, b.Count, difference, double.NaN, double.NaN, double.NaN, double.NaN, false);
        double va = a.Variance() / a.Count, vb = b.Variance() / b.Count;
        var se = Math.Sqrt(va + vb);
        if (!(se > 0))
            return new(meanA, meanB, a.Count, b.Count, difference, double.NaN, double.NaN, double.NaN, double.NaN, false);
        // Welch-Satterthwaite degrees of freedom.
        var df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        var t = difference / se;
        var p = Math.Min(1, 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)));
        var half = StudentT.InvCDF(0, 1, df, 0.975) * se;
        return new(meanA, meanB, a.Count, b.Count, difference, difference - half, difference + half, df, p, true);
    }

    /// <summary>"B's mean AUC is 0.012 higher than A's over 3 and 3 seeds (95% CI of B - A: -0.004 to 0.028, Welch p = 0.12); the seeds do not show a clear difference."</summary>
    public string Sentence(string figure, string nameA, string nameB)
    {
        string N(double v) => Format.Number(v, "0.000");
        var direction = Difference == 0 ? "the same as" : Difference > 0 ? $"{N(Difference)} higher than" : $"{N(-Difference)} lower than";
        var head = $"{nameB}'s mean {figure} is {direction} {nameA}'s over {CountB} and {CountA} seeds";
        if (!Defined)
            return CountA < 2 || CountB < 2
                ? $"{head}; a group needs at least two finished runs to say how much the seeds alone move it."
                : $"{head}; every run of both groups scored the same, so there is no spread to test against.";
        var verdict = P < PairedComparison.Alpha
            ? "a difference this large would be unlikely from the seeds alone"
            : "the seeds alone could explain it: the data do not show a clear difference";
        var p = P < 0.001 ? "p < 0.001" : $"p = {Format.Number(P, "0.000")}";
        return $"{head} (95% CI of {nameB} - {nameA}: {N(Lower)} to {N(Upper)}, Welch {p}); {verdict}.";
    }
}
