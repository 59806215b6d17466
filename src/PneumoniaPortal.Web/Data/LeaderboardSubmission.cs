namespace PneumoniaPortal.Web.Data;

/// <summary>One finished run submitted to a leaderboard, scored on the server on both halves at submission time.</summary>
public sealed class LeaderboardSubmission
{
    public int Id { get; set; }
    public int LeaderboardId { get; set; }
    public Leaderboard? Leaderboard { get; set; }
    /// <summary>The run submitted; for a seed group, its first member (the group is scored on all its members).</summary>
    public int RunId { get; set; }
    public TrainingRun? Run { get; set; }
    /// <summary>
    /// A seed group submitted as one entry: scored on the mean of its members' probabilities, at the mean of their
    /// thresholds; null for a single run.
    /// </summary>
    public int? GroupId { get; set; }
    public SeedGroup? Group { get; set; }
    /// <summary>
    /// One of the (at most two) submissions the student chose for the private ranking before the reveal, as on Kaggle;
    /// a student who chose none is ranked by their two best public submissions.
    /// </summary>
    public bool IsFinal { get; set; }
    public string UserId { get; set; } = "";
    public PortalUser? User { get; set; }
    public DateTimeOffset SubmittedAt { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>The UTC day of the submission (yyyy-MM-dd) and which of that day's allowed submissions it is (1 to the limit).</summary>
    public string Day { get; set; } = "";
    public int Slot { get; set; }
    public double PublicScore { get; set; }
    /// <summary>Never shown to students before <see cref="Leaderboard.PrivateRevealed"/>.</summary>
    public double PrivateScore { get; set; }
    public string Preset { get; set; } = "";
    public long Parameters { get; set; }
}
