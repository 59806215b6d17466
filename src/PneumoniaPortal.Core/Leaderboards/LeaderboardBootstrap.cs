using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Leaderboards;

/// <summary>
/// How sure a leaderboard's public ranking is (issue 16): each entry's score on the public half with a 95% interval,
/// and the chance that an entry is truly ahead of the next one, from a paired, stratified bootstrap over the public
/// half's images: every entry is scored on the same resamples, so two entries that get the same images right move
/// together and the comparison counts only where they differ. Seeded: the same board shows the same figures.
/// Only the public half's labels are used; nothing here reads the private half.
/// </summary>
public sealed class LeaderboardBootstrap
{
    public const int DefaultResamples = 2000;
    public const int DefaultSeed = 1;

    readonly IReadOnlyList<int> _labels;
    readonly LeaderboardMetric _metric;
    readonly double _targetSpecificity;
    readonly int[][] _weights;
    readonly int _positives, _negatives;

    /// <param name="labels">The public half's labels (1 = PNEUMONIA), in a fixed order every entry's probabilities follow.</param>
    public LeaderboardBootstrap(IReadOnlyList<int> labels, LeaderboardMetric metric, double targetSpecificity = 0.9,
        int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (resamples < 2) throw new ArgumentException($"A bootstrap needs at least 2 resamples; you asked for {resamples}.", nameof(resamples));
        var positives = Enumerable.Range(0, labels.Count).Where(i => labels[i] == 1).ToArray();
        var negatives = Enumerable.Range(0, labels.Count).Where(i => labels[i] == 0).ToArray();
        if (positives.Length == 0 || negatives.Length == 0 || positives.Length + negatives.Length != labels.Count)
            throw new ArgumentException("The public half needs PNEUMONIA and NORMAL images, labelled 0 or 1.", nameof(labels));
        _labels = labels;
        _metric = metric;
        _targetSpecificity = targetSpecificity;
        _positives = positives.Length;
        _negatives = negatives.Length;
        // The resamples, drawn once: how often each image is drawn in each (stratified: as many of each label as the half has).
        var random = new Random(seed);
        _weights = new int[resamples][];
        for (int r = 0; r < resamples; r++)
        {
            BootstrapIntervals.DrawStratified(random, positives, negatives, _weights[r] = new int[labels.Count]);
        }
    }

    public int Resamples => _weights.Length;

    /// <summary>One entry's score on every resample, in resample order (the same order for every entry: paired).</summary>
    public double[] Scores(IReadOnlyList<float> probabilities, double threshold)
    {
        PredictionInput.Validate(_labels, probabilities);
        var scorer = new WeightedScorer(_labels, probabilities, threshold, _metric, _targetSpecificity, _positives, _negatives);
        return _weights.Select(scorer.Score).ToArray();
    }

    /// <summary>The 2.5th and 97.5th percentiles of an entry's resampled scores around its <paramref name="estimate"/> on the half itself.</summary>
    public static MetricInterval Interval(double estimate, double[] scores)
    {
        var sorted = scores.Where(double.IsFinite).Order().ToArray();
        return sorted.Length == 0 ? new MetricInterval(estimate, estimate, estimate)
            : new MetricInterval(estimate, BootstrapIntervals.Percentile(sorted, 0.025), BootstrapIntervals.Percentile(sorted, 0.975));
    }

    /// <summary>
    /// The share of resamples on which <paramref name="ahead"/> scores above <paramref name="behind"/> (a tie counts
    /// half): how often the order of the two would hold on another draw of images like these.
    /// </summary>
    public static double ChanceAhead(double[] ahead, double[] behind)
    {
        if (ahead.Length != behind.Length || ahead.Length == 0) throw new ArgumentException("Both entries need the same resamples.");
        double wins = 0;
        for (int r = 0; r < ahead.Length; r++)
            wins += ahead[r] > behind[r] ? 1 : ahead[r] == behind[r] ? 0.5 : 0;
        return wins / ahead.Length;
    }

    /// <summary>
    /// Scores one entry on a resample given as weights (how often each image was drawn) without building the resample:
    /// the images are sorted once by probability, in groups of equal probability, and each resample is one pass.
    /// </summary>
    sealed class WeightedScorer
    {
        readonly int[] _labels;
        readonly float[] _probabilities;
        readonly double _threshold, _targetSpecificity;
        readonly LeaderboardMetric _metric;
        readonly int[] _descending;
        readonly List<int> _groupStart = [];
        readonly int _positives, _negatives;

        public WeightedScorer(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities, double threshold, LeaderboardMetric metric,
            double targetSpecificity, int positives, int negatives)
        {
            // Arrays, not the interfaces: each resample is one tight pass.
            _labels = [.. labels];
            _probabilities = [.. probabilities];
            _threshold = threshold;
            _metric = metric;
            _targetSpecificity = targetSpecificity;
            _positives = positives;
            _negatives = negatives;
            _descending = Enumerable.Range(0, labels.Count).OrderByDescending(i => probabilities[i]).ToArray();
            for (int k = 0; k < _descending.Length; k++)
                if (k == 0 || probabilities[_descending[k]] != probabilities[_descending[k - 1]]) _groupStart.Add(k);
            _groupStart.Add(_descending.Length);
        }

        public double Score(int[] weight)
        {
            if (_metric is LeaderboardMetric.Accuracy or LeaderboardMetric.F1)
            {
                int tp = 0, fp = 0, fn = 0, tn = 0;
                for (int i = 0; i < weight.Length; i++)
                {
                    int w = weight[i];
                    if (w == 0) continue;
                    bool predicted = _probabilities[i] >= _threshold;
                    if (_labels[i] == 1) { if (predicted) tp += w; else fn += w; }
                    else if (predicted) fp += w; else tn += w;
                }
                var matrix = new ConfusionMatrix(tn, fp, fn, tp);
                return _metric == LeaderboardMetric.Accuracy ? matrix.Accuracy : matrix.F1;
            }
            // From the highest probability down, one operating point per group of equal probabilities (as RocCurve has).
            double truePositives = 0, falsePositives = 0, pairs = 0, best = 0;
            for (int g = 0; g + 1 < _groupStart.Count; g++)
            {
                int groupPositives = 0, groupNegatives = 0;
                for (int k = _groupStart[g]; k < _groupStart[g + 1]; k++)
                {
                    int i = _descending[k];
                    if (_labels[i] == 1) groupPositives += weight[i]; else groupNegatives += weight[i];
                }
                // Each negative of the group is outranked by every positive above it and half of those tied with it.
                pairs += groupNegatives * (truePositives + 0.5 * groupPositives);
                truePositives += groupPositives;
                falsePositives += groupNegatives;
                if (falsePositives / _negatives <= 1 - _targetSpecificity + 1e-12) best = Math.Max(best, truePositives / _positives);
            }
            return _metric == LeaderboardMetric.Auc ? pairs / ((double)_positives * _negatives) : best;
        }
    }
}
