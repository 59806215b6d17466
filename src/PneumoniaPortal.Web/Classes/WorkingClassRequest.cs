namespace PneumoniaPortal.Web.Classes;

/// <summary>The class to work in from now on; null: the first open class joined.</summary>
public sealed record WorkingClassRequest(int? CourseId);
