namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// How far readers agree beyond chance (issue 17, reader studies): Cohen's kappa for one reader against another (or
/// against the gold standard) and Fleiss' kappa for a class of readers, each with a 95% percentile bootstrap interval
/// over the images (seeded, as every interval of the portal). Kappa is 1 for perfect agreement, 0 for what chance
/// alone gives, negative below it; it is undefined (NaN) when chance alone already agrees perfectly.
/// </summary>
public sealed record Agreement(double Kappa, double Lower, double Upper, double Observed, double Chance, int Items)
{
    public const int DefaultResamples = 2000;
    public const int DefaultSeed = 1;

    public bool Defined => !double.IsNaN(Kappa);

    /// <summary>Cohen's kappa (Cohen 1960) of two readers' labels of the same items (category indices 0 to <paramref name="categories"/> - 1).</summary>
    public static Agreement Cohen(IReadOnlyList<int> a, IReadOnlyList<int> b, int categories = 2, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"Both readers need the same items; one has {a.Count}, the other {b.Count}.");
        if (a.Count == 0) throw new ArgumentException("Agreement needs at least one item.");
        if (a.Concat(b).Any(x => x < 0 || x >= categories)) throw new ArgumentException($"Labels must be category indices from 0 to {categories - 1}.");
        var all = Enumerable.Range(0, a.Count).ToArray();
        var (kappa, observed, chance) = CohenOf(a, b, categories, all);
        var (lower, upper) = Interval(a.Count, resamples, seed, items => CohenOf(a, b, categories, items).Kappa, kappa);
        return new Agreement(kappa, lower, upper, observed, chance, a.Count);
    }

    /// <summary>
    /// Fleiss' kappa (Fleiss 1971) of many readers: <paramref name="counts"/>[i][j] is how many readers put item i in
    /// category j, and every item was read by the same number of readers (at least two).
    /// </summary>
    public static Agreement Fleiss(IReadOnlyList<IReadOnlyList<int>> counts, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0) throw new ArgumentException("Agreement needs at least one item.");
        var categories = counts[0].Count;
        var readers = counts[0].Sum();
        if (readers < 2) throw new ArgumentException("Fleiss' kappa needs at least two readers of each item.");
        if (counts.Any(r => r.Count != categories || r.Sum() != readers || r.Any(c => c < 0)))
            throw new ArgumentException($"Every item needs counts for the same {categories} categories from the same {readers} readers.");
        var all = Enumerable.Range(0, counts.Count).ToArray();
        var (kappa, observed, chance) = FleissOf(counts, categories, readers, all);
        var (lower, upper) = Interval(counts.Count, resamples, seed, items => FleissOf(counts, categories, readers, items).Kappa, kappa);
        return new Agreement(kappa, lower, upper, observed, chance, counts.Count);
    }

    static (double Kappa, double Observed, double Chance) CohenOf(IReadOnlyList<int> a, IReadOnlyList<int> b, int categories, int[] items)
    {
        var rowTotals = new double[categories];
        var columnTotals = new double[categories];
        double same = 0;
        foreach (var i in items)
        {
            rowTotals[a[i]]++;
            columnTotals[b[i]]++;
            if (a[i] == b[i]) same++;
        }
        double n = items.Length, observed = same / n, chance = 0;
        for (var c = 0; c < categories; c++) chance += rowTotals[c] / n * (columnTotals[c] / n);
        return (KappaOf(observed, chance), observed, chance);
    }

    static (double Kappa, double Observed, double Chance) FleissOf(IReadOnlyList<IReadOnlyList<int>> counts, int categories, int readers, int[] items)
    {
        var totals = new double[categories];
        double agreement = 0;
        foreach (var i in items)
        {
            double pairs = 0;
            for (var c = 0; c < categories; c++)
            {
                totals[c] += counts[i][c];
                pairs += (double)counts[i][c] * counts[i][c];
            }
            agreement += (pairs - readers) / (readers * (readers - 1.0));
        }
        double observed = agreement / items.Length, chance = 0;
        for (var c = 0; c < categories; c++)
        {
            var share = totals[c] / (items.Length * (double)readers);
            chance += share * share;
        }
        return (KappaOf(observed, chance), observed, chance);
    }

    static double KappaOf(double observed, double chance) => chance >= 1 - 1e-12 ? double.NaN : (observed - chance) / (1 - chance);

    /// <summary>The 2.5th to 97.5th percentile of the statistic over resamples of the items (undefined resamples left out).</summary>
    static (double Lower, double Upper) Interval(int n, int resamples, int seed, Func<int[], double> statistic, double estimate)
    {
        if (resamples < 2) throw new ArgumentException($"A bootstrap needs at least 2 resamples; you asked for {resamples}.", nameof(resamples));
        if (double.IsNaN(estimate)) return (double.NaN, double.NaN);
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var items = new int[n];
        for (var r = 0; r < resamples; r++)
        {
            for (var k = 0; k < n; k++) items[k] = random.Next(n);
            var value = statistic(items);
            if (!double.IsNaN(value)) values.Add(value);
        }
        if (values.Count == 0) return (estimate, estimate);
        var sorted = values.Order().ToArray();
        return (BootstrapIntervals.Percentile(sorted, 0.025), BootstrapIntervals.Percentile(sorted, 0.975));
    }
}
