using MathNet.Numerics.Statistics;

namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// One figure over the runs of a seed group: the mean and the sample standard deviation (n - 1), written as
/// <c>0.962 ± 0.008</c>; a single value has no spread to show.
/// </summary>
public sealed record SeedSpread(double Mean, double StandardDeviation, int Count)
{
    /// <summary>The spread of the finite values (missing and NaN ones left out); null when none is left.</summary>
    public static SeedSpread? Of(IEnumerable<double?> values)
    {
        var finite = values.Where(v => v is { } d && double.IsFinite(d)).Select(v => v!.Value).ToArray();
        return finite.Length switch
        {
            0 => null,
            1 => new SeedSpread(finite[0], double.NaN, 1),
            _ => new SeedSpread(finite.Mean(), finite.StandardDeviation(), finite.Length),
        };
    }

    public static SeedSpread? Of(IEnumerable<double> values) => Of(values.Select(v => (double?)v));

    /// <summary><c>0.962 ± 0.008</c> (or the value alone when there is one); <paramref name="percent"/> writes 96.2% ± 0.8%.</summary>
    public string Describe(bool percent = false)
    {
        string N(double v) => percent ? Format.Number(v * 100, "0.0") + "%" : Format.Number(v, "0.000");
        return Count < 2 ? N(Mean) : $"{N(Mean)} ± {N(StandardDeviation)}";
    }

    public override string ToString() => Describe();
}
