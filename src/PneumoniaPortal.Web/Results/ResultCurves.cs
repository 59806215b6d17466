using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Web.Results;

/// <summary>
/// ROC and precision-recall curves as the results page draws them: in percent, read off at evenly spaced x values
/// (so the chart's axis ticks land on round numbers whatever the test set's size).
/// </summary>
public static class ResultCurves
{
    /// <summary>x = 0, 2, 4, ... 100 percent.</summary>
    public const int GridPoints = 51;

    static IEnumerable<double> Grid() => Enumerable.Range(0, GridPoints).Select(i => i * 100.0 / (GridPoints - 1));

    /// <summary>At each false-positive rate, the highest sensitivity some threshold reaches without exceeding it.</summary>
    public static IReadOnlyList<(double X, double Y)> Roc(RocCurve curve) =>
        Grid().Select(x => (x, 100 * curve.Points.Where(p => 100 * p.FalsePositiveRate <= x + 1e-9).Select(p => p.TruePositiveRate).DefaultIfEmpty(0).Max())).ToList();

    /// <summary>At each recall, the precision of the strictest threshold that reaches it (no interpolation, as average precision).</summary>
    public static IReadOnlyList<(double X, double Y)> PrecisionRecall(PrecisionRecallCurve curve)
    {
        var points = curve.Points;
        var result = new List<(double, double)>(GridPoints);
        foreach (var x in Grid())
        {
            var reached = points.FirstOrDefault(p => 100 * p.Recall >= x - 1e-9);
            if (reached is not null) result.Add((x, 100 * reached.Precision));
        }
        return result;
    }

    /// <summary>Where a confusion matrix sits on the ROC plot, in percent.</summary>
    public static (double X, double Y) RocPoint(ConfusionMatrix m) => (100 * (1 - m.Specificity), 100 * m.Sensitivity);

    /// <summary>Where a confusion matrix sits on the precision-recall plot, in percent.</summary>
    public static (double X, double Y) PrecisionRecallPoint(ConfusionMatrix m) => (100 * m.Sensitivity, 100 * m.Precision);
}
