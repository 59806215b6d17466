namespace PneumoniaPortal.Web.Data;

/// <summary>One finished epoch of a run, stored the moment the worker reports it, so no finished epoch is ever lost.</summary>
public sealed class RunEpoch
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public int Epoch { get; set; }
    /// <summary><see cref="Core.Runs.EpochMetrics"/> as JSON.</summary>
    public string MetricsJson { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;
}
