namespace PneumoniaPortal.Web.Training;

/// <summary>Configuration section "Training".</summary>
public sealed class TrainingOptions
{
    /// <summary>Runs a student may have queued or running at once.</summary>
    public int MaxQueuedRunsPerStudent { get; set; } = 3;
    public int MaxEpochsPerRun { get; set; } = 100;
    /// <summary>Whether this process trains (false on portal-only nodes of a scaled-out set-up).</summary>
    public bool Worker { get; set; } = true;
    /// <summary>Hangfire storage: "memory" (one machine) or "postgres" (ConnectionStrings:Hangfire).</summary>
    public string Storage { get; set; } = "memory";
    /// <summary>Seconds between checks for a cancel requested on another node.</summary>
    public double CancelPollSeconds { get; set; } = 2;
}
