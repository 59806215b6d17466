namespace PneumoniaPortal.Web.Compare;

/// <summary>One setting across the compared runs: "Training.LearningRate" and each run's value ("—" when a run has none).</summary>
public sealed record SettingsRow(string Field, IReadOnlyList<string> Values)
{
    public bool Differs => Values.Distinct(StringComparer.Ordinal).Count() > 1;
}
