using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Compare;

/// <summary>
/// 2 to 4 finished runs side by side (issue 4): best of each figure, the settings that differ, and the test images the
/// runs disagree on. Runs on another data set than the first run are compared on settings and curves only: their
/// test figures come from other images, so they are never "best" and take no part in the per-image comparison.
/// </summary>
public sealed class RunComparison
{
    public IReadOnlyList<RunResults> Runs { get; }
    /// <summary>Per run: trained on the same data set as the first run, so its test figures and images compare.</summary>
    public IReadOnlyList<bool> Comparable { get; }
    public IReadOnlyList<ComparisonRow> Metrics { get; }
    public IReadOnlyList<SettingsRow> Settings { get; }
    /// <summary>Images of the comparable runs that at least one run gets right and another wrong.</summary>
    public IReadOnlyList<ImageVerdicts> Disputed { get; }
    /// <summary>Images every comparable run gets wrong.</summary>
    public IReadOnlyList<ImageVerdicts> AllWrong { get; }
    /// <summary>Test images present in every comparable run (held-back or missing ones excluded).</summary>
    public int SharedImages { get; }
    /// <summary>
    /// Every pair of comparable runs tested on their shared test images (DeLong's test of the AUCs, McNemar's of the
    /// decisions); none when the shared images hold fewer than two of either label.
    /// </summary>
    public IReadOnlyList<RunPair> Pairs { get; }

    public RunComparison(IReadOnlyList<RunResults> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("Compare at least one run.", nameof(runs));
        Runs = runs;
        var dataset = runs[0].Run.DatasetId;
        Comparable = runs.Select(r => r.Run.DatasetId == dataset).ToList();
        Metrics = MetricRows(runs, Comparable);
        Settings = SettingsDiff.Rows(runs.Select(r => r.Record.Config).ToList());
        var verdicts = Verdicts(runs.Where((_, i) => Comparable[i]).ToList());
        SharedImages = verdicts.Count;
        Disputed = verdicts.Where(v => v.AnyRight && v.AnyWrong).ToList();
        AllWrong = verdicts.Where(v => !v.AnyRight).ToList();
        Pairs = PairsOf(ComparableRuns, verdicts);
    }

    static IReadOnlyList<RunPair> PairsOf(IReadOnlyList<RunResults> runs, IReadOnlyList<ImageVerdicts> verdicts)
    {
        var labels = verdicts.Select(v => (int)v.Label).ToArray();
        if (labels.Count(l => l == 1) < 2 || labels.Count(l => l == 0) < 2) return [];
        var pairs = new List<RunPair>();
        for (int a = 0; a < runs.Count; a++)
            for (int b = a + 1; b < runs.Count; b++)
                pairs.Add(new RunPair(runs[a], runs[b], Core.Metrics.PairedComparison.Compute(labels,
                    verdicts.Select(v => v.Runs[a].Probability).ToArray(), runs[a].Threshold,
                    verdicts.Select(v => v.Runs[b].Probability).ToArray(), runs[b].Threshold)));
        return pairs;
    }

    public bool AllComparable => Comparable.All(c => c);
    public IReadOnlyList<RunResults> ComparableRuns => Runs.Where((_, i) => Comparable[i]).ToList();
    public IReadOnlyList<SettingsRow> DifferingSettings => Settings.Where(s => s.Differs).ToList();

    static IReadOnlyList<ComparisonRow> MetricRows(IReadOnlyList<RunResults> runs, IReadOnlyList<bool> comparable)
    {
        var evals = runs.Select(r => r.EvaluateAt(r.Threshold)).ToList();
        var pr = runs.Select(r => r.PrecisionRecall).ToList();
        ComparisonRow Row(string name, string kind, Better better, Func<int, double?> value, bool testFigure = true)
        {
            var values = Enumerable.Range(0, runs.Count).Select(value).ToList();
            return new ComparisonRow(name, kind, better, values, BestOf(values, better, testFigure ? comparable : null));
        }
        return
        [
            Row("Test accuracy", "percent", Better.Higher, i => evals[i].Accuracy),
            Row("AUC", "number", Better.Higher, i => evals[i].AucDefined ? evals[i].Auc : null),
            Row("Sensitivity (recall of PNEUMONIA)", "percent", Better.Higher, i => evals[i].Sensitivity),
            Row("Specificity (recall of NORMAL)", "percent", Better.Higher, i => evals[i].Specificity),
            Row("Precision", "percent", Better.Higher, i => evals[i].Precision),
            Row("F1", "number", Better.Higher, i => evals[i].F1),
            Row("Average precision", "number", Better.Higher, i => pr[i].Defined ? pr[i].AveragePrecision : null),
            Row("Log loss", "number", Better.Lower, i => evals[i].LogLoss),
            Row("Threshold (chosen on validation)", "number", Better.Neither, i => runs[i].Threshold),
            Row("Test images", "count", Better.Neither, i => runs[i].Test.Count),
            Row("Parameters", "count", Better.Lower, i => runs[i].Record.Parameters, testFigure: false),
            Row("Epochs trained", "count", Better.Neither, i => runs[i].Record.History.Count, testFigure: false),
            Row("Training time", "duration", Better.Lower, i => runs[i].Record.TrainingSeconds, testFigure: false),
        ];
    }

    /// <summary>
    /// Marks the best value(s) of a row; ties are all best. Nothing is marked when fewer than two candidates have a
    /// value or every candidate has the same one (no run stands out). <paramref name="eligible"/> limits the candidates.
    /// </summary>
    public static IReadOnlyList<bool> BestOf(IReadOnlyList<double?> values, Better better, IReadOnlyList<bool>? eligible = null)
    {
        var none = values.Select(_ => false).ToList();
        if (better == Better.Neither) return none;
        var candidates = values.Select((v, i) => (v, i))
            .Where(x => x.v is { } d && double.IsFinite(d) && (eligible is null || eligible[x.i]))
            .Select(x => (Value: x.v!.Value, Index: x.i)).ToList();
        if (candidates.Count < 2 || candidates.All(c => c.Value == candidates[0].Value)) return none;
        var best = better == Better.Higher ? candidates.Max(c => c.Value) : candidates.Min(c => c.Value);
        return values.Select((_, i) => candidates.Any(c => c.Index == i && c.Value == best)).ToList();
    }

    /// <summary>Each test image present in every run (by path), with every run's verdict at its own threshold.</summary>
    public static IReadOnlyList<ImageVerdicts> Verdicts(IReadOnlyList<RunResults> runs)
    {
        if (runs.Count == 0) return [];
        var byPath = runs.Select(r => r.Test.GroupBy(t => t.RelativePath).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)).ToList();
        var result = new List<ImageVerdicts>();
        foreach (var image in runs[0].Test)
        {
            var seen = byPath.Select(m => m.GetValueOrDefault(image.RelativePath)).ToList();
            if (seen.Any(s => s is null)) continue;
            result.Add(new ImageVerdicts(image.RelativePath, image.Label, image.ImageId,
                seen.Select((s, i) => new ImageVerdict(s!.Probability, RunResults.Correct(s, runs[i].Threshold))).ToList()));
        }
        return result;
    }

    /// <summary>A short label for a run in legends and headers: "#12 baseline (Ada)".</summary>
    public static string Label(RunResults run) =>
        string.IsNullOrEmpty(run.OwnerName) ? $"#{run.Run.Id} {run.Run.Name}" : $"#{run.Run.Id} {run.Run.Name} ({run.OwnerName})";
}
