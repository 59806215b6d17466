namespace PneumoniaPortal.Core.Metrics;

/// <summary>A figure and its confidence interval, e.g. accuracy 0.925 (0.904-0.944).</summary>
public sealed record MetricInterval(double Estimate, double Lower, double Upper)
{
    /// <summary>As the results tab and the CLI write it: <c>0.925 (0.904-0.944)</c>.</summary>
    public override string ToString() => $"{Format.Number(Estimate, "0.000")} ({Format.Number(Lower, "0.000")}-{Format.Number(Upper, "0.000")})";
}
