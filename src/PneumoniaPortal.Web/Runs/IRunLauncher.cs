using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Web.Runs;

/// <summary>Validates a run request and puts it in the training queue for the signed-in student.</summary>
public interface IRunLauncher
{
    /// <summary>The queued run (or seed group); a <see cref="Refusal"/> with every reason nothing was queued (invalid settings, quota, limits).</summary>
    Task<StartedRuns> StartAsync(StartRunRequest request, CancellationToken ct = default);

    /// <summary>The newest label version of the data set a new run would train on (0 = labels as imported); runs may train on any up to it.</summary>
    Task<int> NewestLabelVersionAsync(CancellationToken ct = default) => Task.FromResult(0);

    /// <summary>
    /// What one run would cost on this portal's workers and whether that (times <paramref name="seeds"/> for a seed
    /// group, against the class's weekly minutes) is within its limits; null while its settings are invalid.
    /// </summary>
    Task<RunCostCheck?> EstimateAsync(RunConfig config, int seeds = 1, CancellationToken ct = default) => Task.FromResult<RunCostCheck?>(null);
}
