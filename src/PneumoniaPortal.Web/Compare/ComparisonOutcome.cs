namespace PneumoniaPortal.Web.Compare;

/// <summary>What the compare page shows for a list of run ids: the comparison (2 or more loadable runs) and a line per run that could not be compared.</summary>
public sealed record ComparisonOutcome(RunComparison? Comparison, IReadOnlyList<string> Problems, IReadOnlyList<int> Ids);
