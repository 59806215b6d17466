namespace PneumoniaPortal.Web.Data;

/// <summary>
/// How fast the workers of one queue train (<see cref="Core.Runs.ComputeSpeed"/>): measured by a worker when it
/// starts, corrected after every epoch it trains. The run form estimates a run's time from it before it is queued.
/// </summary>
public sealed class WorkerSpeed
{
    /// <summary>The Hangfire queue the speed is for: cpu or gpu.</summary>
    public string Queue { get; set; } = "";
    public double SecondsPerMac { get; set; }
    public double SecondsPerValue { get; set; }
    public double Correction { get; set; } = 1;
    public string Device { get; set; } = "";
    /// <summary>The worker that measured or corrected it last.</summary>
    public string Worker { get; set; } = "";
    public DateTimeOffset MeasuredAt { get; set; }
}
