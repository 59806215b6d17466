using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Compare;

/// <summary>Two compared runs, A before B in the order picked, tested on their shared test images.</summary>
public sealed record RunPair(RunResults A, RunResults B, PairedComparison Comparison)
{
    public string AucSentence => Comparison.AucSentence(RunComparison.Label(A), RunComparison.Label(B));
    public string DecisionSentence => Comparison.DecisionSentence(RunComparison.Label(A), RunComparison.Label(B));
}
