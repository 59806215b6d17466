using PneumoniaPortal.Core.Runs;

namespace PneumoniaPortal.Web.Runs;

/// <summary>One side of an epoch as the browser draws it; NaN (e.g. AUC of a one-class batch) becomes null.</summary>
public sealed record LiveSplit(double? Loss, double? Accuracy, double? Precision, double? Recall, double? Specificity, double? Auc)
{
    public static LiveSplit From(SplitMetrics m) => new(N(m.Loss), N(m.Accuracy), N(m.Precision), N(m.Recall), N(m.Specificity), N(m.Auc));

    internal static double? N(double v) => double.IsFinite(v) ? v : null;
}
