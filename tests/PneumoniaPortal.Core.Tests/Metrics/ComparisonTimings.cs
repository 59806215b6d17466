using System.Diagnostics;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Tests.Shared;
using Xunit.Abstractions;

namespace PneumoniaPortal.Core.Tests.Metrics;

/// <summary>
/// How long the honest-comparison figures take on a test split the size of Kermany's (390 PNEUMONIA, 234 NORMAL): the
/// bootstrap intervals (2,000 resamples) and DeLong's test for two runs. For docs/benchmarks.md (target: 200 ms each);
/// skipped unless <c>PORTAL_TIMINGS=1</c>.
/// </summary>
public sealed class ComparisonTimings(ITestOutputHelper output)
{
    [TimingFact(needsFullSet: false)]
    public void Bootstrap_intervals_and_DeLong_on_624_test_images()
    {
        var random = new Random(11);
        var labels = Enumerable.Range(0, 624).Select(i => i < 390 ? 1 : 0).ToArray();
        float Score(int label) => (float)Math.Clamp(0.5 + (label == 1 ? 0.25 : -0.25) + (random.NextDouble() - 0.5) * 0.9, 0, 1);
        var a = labels.Select(Score).ToArray();
        var b = labels.Select(Score).ToArray();

        BootstrapIntervals.Compute(labels, a, 0.5); // first call: JIT
        PairedComparison.Compute(labels, a, 0.5, b, 0.5);
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            BootstrapIntervals.Compute(labels, a, 0.5);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"Bootstrap intervals, 624 images x 2,000 resamples: median {times.Order().ElementAt(2):F1} ms (of 5: {string.Join(", ", times.Select(t => t.ToString("F1")))})");
        times.Clear();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            PairedComparison.Compute(labels, a, 0.5, b, 0.5);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"DeLong + McNemar for two runs on 624 images: median {times.Order().ElementAt(2):F2} ms (of 5: {string.Join(", ", times.Select(t => t.ToString("F2")))})");
    }
}
