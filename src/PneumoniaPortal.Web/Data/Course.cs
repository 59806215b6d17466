namespace PneumoniaPortal.Web.Data;

/// <summary>A class an instructor runs; students join it with its join code.</summary>
public sealed class Course
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string JoinCode { get; set; } = "";
    public string CreatedById { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<CourseMember> Members { get; set; } = [];
    /// <summary>An archived class is read-only: no new runs, submissions, answers or members; its leaderboards are frozen.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }
    /// <summary>The class's own limits for its students, within the portal's (null: the portal's limit).</summary>
    public int? MaxQueuedRunsPerStudent { get; set; }
    public int? MaxEpochsPerRun { get; set; }
    /// <summary>Training minutes a student may use in the class in seven days (null: no weekly limit).</summary>
    public double? MaxComputeMinutesPerWeek { get; set; }
    /// <summary>The data set the class works on, chosen by its instructors; null: the portal's default, whichever it is.</summary>
    public int? DatasetId { get; set; }
}
