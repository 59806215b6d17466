using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// Prices a run before it is queued (<see cref="RunEstimate"/> from its settings, its data set's size and the
/// measured speed of the workers of the queue it would go to) and holds it to <c>Training:MaxMinutesPerRun</c> and
/// <c>Training:MaxBatchMemoryMiB</c>.
/// </summary>
public sealed class RunCostEstimator(Leaderboards.HeldOutImages heldOut, WorkerSpeeds speeds, IOptions<TrainingOptions> options)
{
    public async Task<RunCostCheck> CheckAsync(RunConfig config, LoadedDataset active, CancellationToken ct = default)
    {
        var hidden = await heldOut.PathsAsync(active.Catalog, ct);
        // The images the run will train and validate on: copies of held-back images are left out of both (TrainingJob),
        // so the counts the form shows are counts a student may see.
        var test = active.Catalog.Images.Count(i => i.Split == Split.Test && !hidden.Contains(i.RelativePath));
        var pool = active.Catalog.Images.Count(i => i.Split != Split.Test && !hidden.Contains(i.RelativePath));
        var speed = await speeds.ForQueueAsync(RunService.QueueFor(config.Training.Device), ct);
        var estimate = RunEstimate.For(config, pool, test, speed);
        var limits = options.Value;
        var problems = new List<SettingsProblem>();
        if (estimate.TotalSeconds > limits.MaxMinutesPerRun * 60)
            problems.Add(new SettingsProblem($"{nameof(RunConfig.Training)}.{nameof(TrainingSettings.Epochs)}",
                $"This run would take {RunEstimate.Describe(estimate.TotalSeconds)} on this server ({estimate.Epochs} epochs of " +
                $"{RunEstimate.Describe(estimate.EpochSeconds)} each); runs here may take at most {limits.MaxMinutesPerRun:0} min. " +
                "Fewer epochs, a smaller input size, fewer or narrower blocks, or fewer training images make it shorter."));
        if (estimate.BatchMemoryMiB > limits.MaxBatchMemoryMiB)
            problems.Add(new SettingsProblem($"{nameof(RunConfig.Training)}.{nameof(TrainingSettings.BatchSize)}",
                $"One batch of {config.Training.BatchSize} images needs about {estimate.BatchMemoryMiB:N0} MiB with this network; " +
                $"this server allows {limits.MaxBatchMemoryMiB:N0} MiB. A smaller batch, a smaller input size or fewer filters need less."));
        return new RunCostCheck(estimate, problems);
    }
}
