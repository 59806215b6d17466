using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dashboard;

/// <summary>
/// A class as its instructors see it (every student's row, every run pooled), or as a student sees it (their own row,
/// and the pooled charts over the runs they may see: their own and those classmates shared).
/// </summary>
/// <param name="Leaderboard">The class's newest leaderboard, whose standings the rows show; null when it has none.</param>
/// <param name="PooledRuns">The finished runs with a test AUC that the axes, lines and effects pool.</param>
/// <param name="GalleryRuns">The finished runs on the class's data set whose misses the gallery counts.</param>
public sealed record ClassDashboard(int CourseId, string CourseName, bool IsInstructorView, string? Leaderboard, int? LeaderboardId,
    IReadOnlyList<DashboardStudent> Students, int PooledRuns, IReadOnlyList<DashboardAxis> Axes, IReadOnlyList<DashboardLine> Lines,
    IReadOnlyList<DashboardEffect> Effects, int GalleryRuns, IReadOnlyList<MissedImage> MostMissed);

/// <summary>
/// One student of the class. Best test AUC is of their finished run with the highest one (its accuracy beside it);
/// practice agreement is the share of their answers on gold-standard practice images that match the gold label.
/// </summary>
public sealed record DashboardStudent(string Name, string? Email, bool IsMe, int Runs, int FinishedRuns, int SeedGroups,
    double? BestValAuc, double? BestTestAuc, double? BestTestAccuracy, int? BestRunId,
    int? PublicRank, double? PublicScore, int? PrivateRank, double? PrivateScore, int? Entrants,
    int PracticeAnswered, double? PracticeAgreement, DateTimeOffset? LastActivity)
{
    /// <summary>Public minus private score: how much the public half flattered the student (null before the viewer may see the private one).</summary>
    public double? Gap => PublicScore is { } pub && PrivateScore is { } priv ? pub - priv : null;
}

/// <summary>One axis of the parallel-coordinates chart: a setting and its values in order (numbers by size).</summary>
public sealed record DashboardAxis(string Setting, IReadOnlyList<string> Values);

/// <summary>One run on the chart: its value on each axis, in the axes' order, and its test AUC (the last axis).</summary>
public sealed record DashboardLine(int RunId, string Label, IReadOnlyList<string> Values, double TestAuc);

/// <summary>A setting value's pooled effect on test AUC, with the sentence the page shows.</summary>
public sealed record DashboardEffect(string Setting, string Value, double Difference, double? Lower, double? Upper, double? P, int With, int Without, string Sentence);

/// <summary>A test image of the class's data set, how many of the gallery's runs call it wrong at their own threshold, and its label.</summary>
public sealed record MissedImage(string ImageId, Label Label, int Missed, int Runs);
