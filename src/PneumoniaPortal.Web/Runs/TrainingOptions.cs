namespace PneumoniaPortal.Web.Runs;

/// <summary>Configuration section "Training".</summary>
public sealed class TrainingOptions : IValidatedOptions
{
    public const string Section = "Training";

    /// <summary>Runs a student may have queued or running at once.</summary>
    public int MaxQueuedRunsPerStudent { get; set; } = 3;
    /// <summary>The most epochs one run may have.</summary>
    public int MaxEpochsPerRun { get; set; } = 100;
    /// <summary>The longest run the portal queues, in minutes on its workers, as estimated before it is queued.</summary>
    public double MaxMinutesPerRun { get; set; } = 120;
    /// <summary>
    /// A run that trains longer than MaxMinutesPerRun times this in one go (its estimate was too low, or the server is
    /// busier than when it was measured) is stopped as failed, keeping its finished epochs.
    /// </summary>
    public double MaxRunTimeFactor { get; set; } = 2;

    /// <summary>How long one run may train in one go before it is stopped (<see cref="MaxRunTimeFactor"/>).</summary>
    public TimeSpan MaxRunTime =>
        MaxMinutesPerRun * MaxRunTimeFactor is var minutes && minutes < TimeSpan.MaxValue.TotalMinutes / 2 ? TimeSpan.FromMinutes(minutes) : TimeSpan.MaxValue;
    /// <summary>The most memory one training batch may need (layer outputs, gradients, weights, optimizer state), in MiB.</summary>
    public double MaxBatchMemoryMiB { get; set; } = 4096;
    /// <summary>Whether a training worker measures its speed when it starts (a few seconds); without it, estimates start from the reference machine's.</summary>
    public bool Calibrate { get; set; } = true;
    /// <summary>Runs this process trains at once (default 1: a run uses every core or the whole GPU; more suits big machines).</summary>
    public int ConcurrentRuns { get; set; } = 1;
    /// <summary>Linux nice value of the training threads (0 to 19; default 10): pages served by the same machine keep their cores.</summary>
    public int Nice { get; set; } = 10;
    /// <summary>Whether this process trains (false on portal-only nodes of a scaled-out set-up).</summary>
    public bool Worker { get; set; } = true;
    /// <summary>Hangfire storage: "memory" (one machine) or "postgres" (ConnectionStrings:Hangfire).</summary>
    public string Storage { get; set; } = "memory";
    /// <summary>Seconds between checks for a cancel requested on another node.</summary>
    public double CancelPollSeconds { get; set; } = 2;
    /// <summary>Seconds between a training worker's heartbeats (written on the run's row).</summary>
    public double HeartbeatSeconds { get; set; } = 5;
    /// <summary>A Running run whose heartbeat is older than this is taken as lost (its worker died) and interrupted.</summary>
    public double LostAfterSeconds { get; set; } = 30;
    /// <summary>Whether a run interrupted by a lost or stopping worker goes back on the queue by itself, to resume on the next worker.</summary>
    public bool ResumeLostRuns { get; set; } = true;
    /// <summary>How many times one run is queued again by itself before it waits for its owner (a run that kills its worker).</summary>
    public int MaxAutoResumes { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (Nice is < 0 or > PneumoniaPortal.Training.Native.ThreadNice.Lowest)
            yield return $"Training:Nice is the training threads' Linux nice value, from 0 (normal priority) to 19 (lowest); it is {Nice}.";
        if (MaxMinutesPerRun <= 0 || MaxBatchMemoryMiB <= 0 || MaxRunTimeFactor <= 0)
            yield return "Training:MaxMinutesPerRun, Training:MaxBatchMemoryMiB and Training:MaxRunTimeFactor must be above 0; " +
                         $"they are {MaxMinutesPerRun}, {MaxBatchMemoryMiB} and {MaxRunTimeFactor}.";
    }
}
