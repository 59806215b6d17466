namespace PneumoniaPortal.Web.Data;

/// <summary>
/// One training run a student started: its settings, where it stands, and a summary of its best validation epoch.
/// The per-epoch history lives in <see cref="RunEpoch"/> rows; checkpoints and reports in <see cref="Folder"/>.
/// </summary>
public sealed class TrainingRun
{
    public int Id { get; set; }
    public string OwnerId { get; set; } = "";
    public PortalUser? Owner { get; set; }
    public int? CourseId { get; set; }
    public Course? Course { get; set; }
    /// <summary>Private runs are seen by their owner and the instructors of their class only.</summary>
    public bool SharedWithCourse { get; set; }
    public string Name { get; set; } = "";
    public string Preset { get; set; } = "";
    public string ConfigJson { get; set; } = "";
    public int DatasetId { get; set; }
    /// <summary>The label version of the data set it trains on (0 = the labels as imported).</summary>
    public int LabelVersion { get; set; }
    public RunStatus Status { get; set; }
    /// <summary>Hangfire queue: cpu or gpu.</summary>
    public string Queue { get; set; } = "cpu";
    public string? JobId { get; set; }
    public bool CancelRequested { get; set; }
    /// <summary>The last status line from the trainer ("Decoding images", "Resuming at epoch 3").</summary>
    public string? Message { get; set; }
    public string? Error { get; set; }
    public string? Device { get; set; }
    public long Parameters { get; set; }
    public int EpochsPlanned { get; set; }
    public int EpochsDone { get; set; }
    public int BestEpoch { get; set; }
    public double? BestValLoss { get; set; }
    public double? BestValAccuracy { get; set; }
    public double? BestValAuc { get; set; }
    public double? BestValRecall { get; set; }
    public double? BestValSpecificity { get; set; }
    public double? ImagesPerSecond { get; set; }
    public double? TestAccuracy { get; set; }
    public double? TestAuc { get; set; }
    public DateTimeOffset QueuedAt { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>What the run was priced at when it was queued, in seconds of training (a class's weekly minutes count it while it waits).</summary>
    public double? EstimatedSeconds { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The worker training it now (machine and process), while it is Running.</summary>
    public string? Worker { get; set; }
    /// <summary>Written by the worker every few seconds while it trains; a stale one means the worker is gone.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }
    /// <summary>How often the portal queued it again by itself after its worker was lost.</summary>
    public int AutoResumes { get; set; }
    /// <summary>
    /// Which of its owner's quota slots (1 to Training:MaxQueuedRunsPerStudent) a student's queued or running run
    /// holds; null for staff. A unique index over active runs enforces the quota in the database.
    /// </summary>
    public int? QuotaSlot { get; set; }
    /// <summary>
    /// Counts the claims of this run by workers. A worker checks it is still the latest claim before it writes a
    /// checkpoint or run.json, so a worker that lost the run (its heartbeat went stale) never writes over the next one.
    /// </summary>
    public int ClaimNumber { get; set; }
    /// <summary>Run folder relative to the portal's runs directory.</summary>
    public string Folder { get; set; } = "";
    /// <summary>The seed group the run was started in ("Repeat with N seeds"); null for a run started on its own.</summary>
    public int? GroupId { get; set; }
    public SeedGroup? Group { get; set; }
    public List<RunEpoch> Epochs { get; set; } = [];

    public bool IsActive => Status is RunStatus.Queued or RunStatus.Running;
}
