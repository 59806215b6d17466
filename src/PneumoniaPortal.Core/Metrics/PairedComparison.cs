namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// Two runs scored on the same test images, said in words a student can check: the AUC difference with DeLong's
/// interval and test, and McNemar's test on their decisions. "Clear" means p &lt; 0.05; anything else is said as "the
/// data do not show a clear difference", never as "they are equal".
/// </summary>
public sealed record PairedComparison(PairedAucComparison Auc, McNemarTest Decisions)
{
    public const double Alpha = 0.05;

    public static PairedComparison Compute(IReadOnlyList<int> labels, IReadOnlyList<float> a, double thresholdA, IReadOnlyList<float> b, double thresholdB) =>
        new(PairedAucComparison.Compute(labels, a, b), McNemarTest.Compute(labels, a, thresholdA, b, thresholdB));

    /// <summary>"B's AUC is 0.012 higher than A's (95% CI of B - A: -0.004 to 0.028, p = 0.14); the data do not show a clear difference."</summary>
    public string AucSentence(string nameA, string nameB)
    {
        var c = Auc;
        if (!c.Defined)
            return c.Difference == 0 ? $"{nameA} and {nameB} rank the test images alike (AUC {N(c.AucA)} each); there is no difference to test."
                : c.AucA == 1 && c.AucB == 1 ? $"{nameA} and {nameB} both separate the labels perfectly; there is no difference to test."
                : $"{nameB}'s AUC is {N(Math.Abs(c.Difference))} {(c.Difference > 0 ? "higher" : "lower")} than {nameA}'s, but each run ranks every image of a label alike (a run that gives every image the same score does): no interval or test is possible.";
        var direction = c.Difference == 0 ? "the same as" : c.Difference > 0 ? $"{N(c.Difference)} higher than" : $"{N(-c.Difference)} lower than";
        var verdict = c.P < Alpha
            ? $"{(c.Difference > 0 ? nameB : nameA)} ranks the test images better, and a difference this large would be unlikely if the two were equally good"
            : "the data do not show a clear difference";
        return $"{nameB}'s AUC is {direction} {nameA}'s (95% CI of {nameB} - {nameA}: {N(c.Lower)} to {N(c.Upper)}, {P(c.P)}); {verdict}.";
    }

    /// <summary>"A alone is right on 12 images, B alone on 20 (McNemar p = 0.22); the data do not show a clear difference."</summary>
    public string DecisionSentence(string nameA, string nameB)
    {
        var d = Decisions;
        var counts = $"At their own thresholds, {nameA} alone is right on {d.OnlyA} test image{(d.OnlyA == 1 ? "" : "s")} and {nameB} alone on {d.OnlyB}";
        if (d.OnlyA + d.OnlyB == 0) return counts + "; they decide every image alike.";
        var verdict = d.P < Alpha
            ? $"{(d.OnlyB > d.OnlyA ? nameB : nameA)} decides better, more often than chance would explain"
            : "the data do not show a clear difference";
        return $"{counts} (McNemar {P(d.P)}); {verdict}.";
    }

    static string N(double value) => Format.Number(value, "0.000");

    static string P(double p) => p < 0.001 ? "p < 0.001" : $"p = {Format.Number(p, "0.000")}";
}
