using Microsoft.AspNetCore.Identity;

namespace PneumoniaPortal.Web.Data;

/// <summary>A person who signs in: student, instructor or admin (roles are Identity roles, see <see cref="Roles"/>).</summary>
public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

public static class Roles
{
    public const string Student = "Student", Instructor = "Instructor", Admin = "Admin";
    public const string InstructorOrAdmin = Instructor + "," + Admin;
    public static IReadOnlyList<string> All { get; } = [Student, Instructor, Admin];
}
