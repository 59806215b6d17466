using System.Diagnostics;
using PneumoniaPortal.Core.Leaderboards;
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

    [TimingFact(needsFullSet: false)]
    public void Leaderboard_uncertainty_for_30_entries_on_a_156_image_public_half()
    {
        // The default board holds back half of Kermany's 624 test images; half of those (97 PNEUMONIA, 59 NORMAL) rank publicly.
        var random = new Random(12);
        var labels = Enumerable.Range(0, 156).Select(i => i < 97 ? 1 : 0).ToArray();
        var entries = Enumerable.Range(0, 30).Select(_ => labels.Select(l => (float)Math.Clamp(0.5 + (l == 1 ? 0.25 : -0.25) + (random.NextDouble() - 0.5) * 0.9, 0, 1)).ToArray()).ToList();
        foreach (var metric in new[] { LeaderboardMetric.Auc, LeaderboardMetric.Accuracy })
        {
            var times = new List<double>();
            for (var i = 0; i < 6; i++)
            {
                var clock = Stopwatch.StartNew();
                var bootstrap = new LeaderboardBootstrap(labels, metric);
                var scores = entries.Select(e => bootstrap.Scores(e, 0.5)).ToList();
                for (var k = 0; k + 1 < scores.Count; k++) LeaderboardBootstrap.ChanceAhead(scores[k], scores[k + 1]);
                foreach (var (entry, s) in entries.Zip(scores)) LeaderboardBootstrap.Interval(LeaderboardScoring.Score(metric, labels, entry, 0.5), s);
                if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds); // the first: JIT
            }
            output.WriteLine($"Leaderboard uncertainty ({metric}), 30 entries x 2,000 resamples of 156 images: median {times.Order().ElementAt(2):F1} ms (of 5: {string.Join(", ", times.Select(t => t.ToString("F1")))})");
        }
    }

    [TimingFact(needsFullSet: false)]
    public void Reader_study_of_30_students_on_200_images()
    {
        // The largest practice set (200 images) read by a class of 30: each reader's point and Cohen's kappa with its
        // bootstrap interval, then Fleiss' kappa over the class, as the reader study page computes them.
        var random = new Random(13);
        var reference = Enumerable.Range(0, 200).Select(i => i < 125 ? 1 : 0).ToArray();
        var readers = Enumerable.Range(0, 30).Select(_ => reference.Select(l => random.NextDouble() < 0.85 ? l : 1 - l).ToArray()).ToList();
        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var answers in readers)
            {
                ReaderPoint.Of(reference, answers);
                Agreement.Cohen(reference, answers);
            }
            Agreement.Fleiss(reference.Select((_, k) => (IReadOnlyList<int>)[30 - readers.Sum(r => r[k]), readers.Sum(r => r[k])]).ToList());
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.RemoveAt(0); // JIT
        output.WriteLine($"Reader study, 30 readers x 200 images (points, 30 Cohen's kappa and one Fleiss' kappa, 2,000 resamples each): median {times.Order().ElementAt(2):F0} ms (of 5: {string.Join(", ", times.Select(t => t.ToString("F0")))})");
    }
}
