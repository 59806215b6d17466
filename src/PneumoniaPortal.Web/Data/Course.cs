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
}
