namespace PneumoniaPortal.Web.Data;

public sealed class CourseMember
{
    public int CourseId { get; set; }
    public Course? Course { get; set; }
    public string UserId { get; set; } = "";
    public PortalUser? User { get; set; }
    public CourseRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; set; } = DateTimeOffset.UtcNow;
}
