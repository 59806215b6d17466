using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Classes;

public sealed record CourseSummary(int Id, string Name, string? JoinCode, CourseRole Role, int Students, int Instructors, bool Archived = false);
