using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Web.Runs;

/// <summary>A run's estimated cost on this portal's workers, and what in it is over the limits (each problem filed under its field).</summary>
public sealed record RunCostCheck(RunEstimate Estimate, IReadOnlyList<SettingsProblem> Problems)
{
    /// <summary>What the run form shows: "About 12 min on this server: 12 epochs of about 1 min, ...".</summary>
    public string Summary
    {
        get
        {
            var e = Estimate;
            var total = RunEstimate.Describe(e.TotalSeconds);
            return $"{char.ToUpperInvariant(total[0])}{total[1..]} on this server: {e.Epochs} epoch{(e.Epochs == 1 ? "" : "s")} of " +
                   $"{RunEstimate.Describe(e.EpochSeconds)} each ({e.TrainImages:N0} training and {e.ValidationImages:N0} validation images); " +
                   $"one batch needs about {e.BatchMemoryMiB:N0} MiB.";
        }
    }

    public bool WithinLimits => Problems.Count == 0;
}
