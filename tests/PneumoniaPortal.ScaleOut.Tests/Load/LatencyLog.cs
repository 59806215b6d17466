using System.Collections.Concurrent;

namespace PneumoniaPortal.ScaleOut.Tests.Load;

/// <summary>Median, 95th percentile and worst of a set of latencies, in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double MaxMs)
{
    public static LatencySummary Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? new LatencySummary(0, 0, 0, 0)
            : new LatencySummary(sorted.Length, Round(Percentile(sorted, 0.50)), Round(Percentile(sorted, 0.95)), Round(sorted[^1]));
    }

    /// <summary>Nearest rank: the smallest value with at least p of the values at or below it.</summary>
    static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    static double Round(double ms) => Math.Round(ms, 1);
}

/// <summary>Every request the students made: which page, how long, the status, and what went wrong if anything did.</summary>
public sealed class LatencyLog
{
    public sealed record Sample(string Page, double Ms, int Status, string? Error);

    readonly ConcurrentQueue<Sample> _samples = new();

    public void Add(string page, double ms, int status, string? error) => _samples.Enqueue(new Sample(page, ms, status, error));

    public IReadOnlyList<Sample> Samples => _samples.ToArray();

    public IReadOnlyList<string> Errors => _samples.Where(s => s.Error is not null).Select(s => s.Error!).ToList();
}
