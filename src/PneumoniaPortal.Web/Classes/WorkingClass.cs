namespace PneumoniaPortal.Web.Classes;

/// <summary>
/// The class a person works in, the data set that gives them, and the classes they may switch to
/// (<see cref="WorkingClasses"/>). CourseId is null for someone in no class: they work on the portal's default.
/// </summary>
public sealed record WorkingClass(int? CourseId, string? CourseName, int DatasetId, string DatasetName, IReadOnlyList<ClassChoice> Choices);
