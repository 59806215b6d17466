using PneumoniaPortal.Core.Leaderboards;

namespace PneumoniaPortal.Web.Data;

/// <summary>
/// A class's leaderboard: a share of the data set's test split held back (its labels never leave the server), split
/// into a public half that ranks while it runs and a private half the instructor reveals at the end.
/// </summary>
public sealed class Leaderboard
{
    public int Id { get; set; }
    public int CourseId { get; set; }
    public Course? Course { get; set; }
    /// <summary>The data set whose test split it holds back from; only runs trained on it can be submitted.</summary>
    public int DatasetId { get; set; }
    public string Title { get; set; } = "";
    /// <summary>Share of the test split held back, in [0.1, 0.9]; with <see cref="Seed"/> it fixes the images.</summary>
    public double HeldOutFraction { get; set; } = 0.5;
    public int Seed { get; set; }
    public LeaderboardMetric Metric { get; set; } = LeaderboardMetric.Auc;
    /// <summary>For <see cref="LeaderboardMetric.SensitivityAtSpecificity"/>.</summary>
    public double TargetSpecificity { get; set; } = 0.9;
    public int DailySubmissionLimit { get; set; } = 5;
    /// <summary>No more submissions once frozen.</summary>
    public bool Frozen { get; set; }
    /// <summary>Students see the private ranking once revealed.</summary>
    public bool PrivateRevealed { get; set; }
    /// <summary>
    /// When the private ranking was first revealed: the students' final choices close then for good, even if the
    /// ranking is hidden again (else a student could choose their finals knowing the private scores).
    /// </summary>
    public DateTimeOffset? FinalsClosedAt { get; set; }
    public string CreatedById { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<LeaderboardSubmission> Submissions { get; set; } = [];
    /// <summary>The test images it holds back, stored with it (in the same transaction) when it is made.</summary>
    public List<HeldBackImage> HeldBack { get; set; } = [];
}
