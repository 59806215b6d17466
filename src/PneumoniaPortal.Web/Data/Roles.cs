namespace PneumoniaPortal.Web.Data;

public static class Roles
{
    public const string Student = "Student", Instructor = "Instructor", Admin = "Admin";
    public const string InstructorOrAdmin = Instructor + "," + Admin;
    public static IReadOnlyList<string> All { get; } = [Student, Instructor, Admin];
}
