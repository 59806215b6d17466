namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// 95% intervals of every test figure at one threshold, from a stratified percentile bootstrap: each resample draws as
/// many PNEUMONIA and as many NORMAL images as the split has, with replacement, and the interval is the 2.5th to 97.5th
/// percentile of the figure over the resamples (Efron &amp; Tibshirani 1993, ch. 13; stratified so that sensitivity and
/// specificity are defined in every resample). Seeded: the same predictions and seed give the same intervals.
/// </summary>
public sealed record BootstrapIntervals(
    MetricInterval Accuracy,
    MetricInterval Auc,
    MetricInterval Sensitivity,
    MetricInterval Specificity,
    MetricInterval Precision,
    MetricInterval F1,
    int Resamples,
    int Seed)
{
    public const int DefaultResamples = 2000;
    public const int DefaultSeed = 1;

    public static BootstrapIntervals Compute(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities, double threshold,
        int resamples = DefaultResamples, int seed = DefaultSeed, double level = 0.95)
    {
        PredictionInput.Validate(labels, probabilities);
        PredictionInput.ValidateThreshold(threshold, nameof(threshold));
        if (resamples < 2) throw new ArgumentException($"A bootstrap needs at least 2 resamples; you asked for {resamples}.", nameof(resamples));
        if (level is <= 0 or >= 1) throw new ArgumentException($"The confidence level must be between 0 and 1; it is {Format.Number(level)}.", nameof(level));
        int n = labels.Count;
        var positives = Enumerable.Range(0, n).Where(i => labels[i] == 1).ToArray();
        var negatives = Enumerable.Range(0, n).Where(i => labels[i] == 0).ToArray();
        if (positives.Length == 0 || negatives.Length == 0)
            throw new ArgumentException("Intervals need PNEUMONIA and NORMAL images both; these predictions hold one label only.", nameof(labels));

        // Sorted once by probability, in groups of equal probability: each resample's AUC is then one pass over the
        // groups with the resample's weights (how often each image was drawn), not a sort.
        var order = Enumerable.Range(0, n).OrderBy(i => probabilities[i]).ToArray();
        var groupStart = new List<int>();
        for (int k = 0; k < n; k++)
            if (k == 0 || probabilities[order[k]] != probabilities[order[k - 1]]) groupStart.Add(k);
        groupStart.Add(n);

        var random = new Random(seed);
        var weight = new int[n];
        var figures = new double[6][];
        for (int f = 0; f < figures.Length; f++) figures[f] = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            DrawStratified(random, positives, negatives, weight);

            int tp = 0, fp = 0, fn = 0, tn = 0;
            double pairs = 0, negativesBelow = 0;
            for (int g = 0; g + 1 < groupStart.Count; g++)
            {
                int groupPositives = 0, groupNegatives = 0;
                for (int k = groupStart[g]; k < groupStart[g + 1]; k++)
                {
                    int i = order[k], w = weight[i];
                    if (w == 0) continue;
                    bool predicted = probabilities[i] >= threshold;
                    if (labels[i] == 1)
                    {
                        groupPositives += w;
                        if (predicted) tp += w; else fn += w;
                    }
                    else
                    {
                        groupNegatives += w;
                        if (predicted) fp += w; else tn += w;
                    }
                }
                // A positive outranks every negative below it and half of those tied with it (the Mann-Whitney count).
                pairs += groupPositives * (negativesBelow + 0.5 * groupNegatives);
                negativesBelow += groupNegatives;
            }
            var matrix = new ConfusionMatrix(tn, fp, fn, tp);
            figures[0][r] = matrix.Accuracy;
            figures[1][r] = pairs / ((double)positives.Length * negatives.Length);
            figures[2][r] = matrix.Sensitivity;
            figures[3][r] = matrix.Specificity;
            // A resample with no image called PNEUMONIA has no precision: left out of that figure's percentiles, not counted as 0.
            figures[4][r] = tp + fp == 0 ? double.NaN : matrix.Precision;
            figures[5][r] = matrix.F1;
        }

        var observed = BinaryEvaluation.Compute(labels, probabilities, threshold);
        double[] estimates = [observed.Accuracy, observed.Auc, observed.Sensitivity, observed.Specificity, observed.Precision, observed.F1];
        var intervals = new MetricInterval[6];
        double tail = (1 - level) / 2;
        for (int f = 0; f < figures.Length; f++)
        {
            var defined = figures[f].Where(v => !double.IsNaN(v)).ToArray();
            Array.Sort(defined);
            intervals[f] = defined.Length == 0
                ? new MetricInterval(estimates[f], estimates[f], estimates[f])
                : new MetricInterval(estimates[f], Percentile(defined, tail), Percentile(defined, 1 - tail));
        }
        return new BootstrapIntervals(intervals[0], intervals[1], intervals[2], intervals[3], intervals[4], intervals[5], resamples, seed);
    }

    /// <summary>
    /// One stratified resample, as weights: how often each image is drawn when as many PNEUMONIA (<paramref name="positives"/>)
    /// and NORMAL (<paramref name="negatives"/>) images are drawn, with replacement, as there are; positives first, then
    /// negatives, from <paramref name="random"/>. <paramref name="weight"/> is cleared first.
    /// </summary>
    internal static void DrawStratified(Random random, int[] positives, int[] negatives, int[] weight)
    {
        Array.Clear(weight);
        foreach (var _ in positives) weight[positives[random.Next(positives.Length)]]++;
        foreach (var _ in negatives) weight[negatives[random.Next(negatives.Length)]]++;
    }

    /// <summary>The q-quantile of sorted values with linear interpolation between neighbours (numpy's default, R's type 7).</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
