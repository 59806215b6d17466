using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Classes;

/// <summary>A class in the viewer's list; JoinCode and DatasetId (null: the portal's default) for its instructors only.</summary>
public sealed record CourseSummary(int Id, string Name, string? JoinCode, CourseRole Role, int Students, int Instructors, bool Archived = false, int? DatasetId = null);
