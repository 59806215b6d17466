namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// What a class's runs say about one setting value (issue 17): the mean figure of the runs with that value against the
/// mean of the runs without it, compared with Welch's t-test over the runs (<see cref="SeedGroupComparison"/>). Pooled,
/// not controlled: runs that differ in this setting often differ in others too, so it is a hint where to look, not a
/// cause; the page says so.
/// </summary>
public sealed record SettingEffect(string Setting, string Value, SeedGroupComparison Comparison)
{
    /// <summary>The runs with the value minus the runs without it.</summary>
    public double Difference => Comparison.Difference;
    public int CountWith => Comparison.CountB;
    public int CountWithout => Comparison.CountA;

    /// <summary>"runs with Training.PerImageStandardization = yes scored 0.020 higher test AUC on average (n = 14 vs 9; 95% CI 0.004 to 0.036)".</summary>
    public string Sentence(string figure)
    {
        string N(double v) => Format.Number(v, "0.000");
        var direction = Difference == 0 ? "the same" : Difference > 0 ? $"{N(Difference)} higher" : $"{N(-Difference)} lower";
        var head = $"runs with {Setting} = {Value} scored {direction} {figure} on average than the others (n = {CountWith} vs {CountWithout}";
        if (!Comparison.Defined) return head + "; too few runs or no spread for an interval)";
        var verdict = Comparison.P < PairedComparison.Alpha ? "unlikely from chance alone" : "chance alone could explain it";
        return $"{head}; 95% CI {N(Comparison.Lower)} to {N(Comparison.Upper)}; {verdict})";
    }
}

/// <summary>
/// Every setting value that splits a set of runs into two groups of at least <c>minimumPerSide</c> runs, with its
/// estimated effect on one figure, the clearest first (smallest p-value, then the largest difference).
/// </summary>
public static class SettingEffects
{
    public const int DefaultMinimumPerSide = 2;

    /// <param name="runs">Each run's settings (name → value as text) and its figure; a setting a run lacks counts as "—".</param>
    /// <param name="ignore">Settings never estimated (the seed: it is not a choice, and each run has its own).</param>
    public static IReadOnlyList<SettingEffect> Estimate(IReadOnlyList<(IReadOnlyDictionary<string, string> Settings, double Figure)> runs,
        IReadOnlySet<string>? ignore = null, int minimumPerSide = DefaultMinimumPerSide)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (minimumPerSide < 1) throw new ArgumentOutOfRangeException(nameof(minimumPerSide), "Each side needs at least one run.");
        var finite = runs.Where(r => double.IsFinite(r.Figure)).ToList();
        var names = finite.SelectMany(r => r.Settings.Keys).Distinct(StringComparer.Ordinal).Where(n => ignore?.Contains(n) != true).ToList();
        var effects = new List<SettingEffect>();
        foreach (var name in names)
        {
            var values = finite.Select(r => r.Settings.TryGetValue(name, out var v) ? v : "—").ToArray();
            var distinct = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (distinct.Count < 2) continue;
            // Two values are one contrast, not two mirrored ones: the less common value (then the later in order) against the other.
            var candidates = distinct.Count == 2
                ? [distinct.OrderBy(v => values.Count(x => x == v)).ThenByDescending(v => v, StringComparer.Ordinal).First()]
                : distinct;
            foreach (var value in candidates)
            {
                var with = finite.Where((_, i) => values[i] == value).Select(r => r.Figure).ToList();
                var without = finite.Where((_, i) => values[i] != value).Select(r => r.Figure).ToList();
                if (with.Count < minimumPerSide || without.Count < minimumPerSide) continue;
                effects.Add(new SettingEffect(name, value, SeedGroupComparison.Compute(without, with)));
            }
        }
        return effects
            .OrderBy(e => e.Comparison.Defined ? 0 : 1).ThenBy(e => e.Comparison.Defined ? e.Comparison.P : 1)
            .ThenByDescending(e => Math.Abs(e.Difference)).ThenBy(e => e.Setting, StringComparer.Ordinal).ThenBy(e => e.Value, StringComparer.Ordinal)
            .ToList();
    }
}
