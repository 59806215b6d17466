namespace PneumoniaPortal.Web.Classes;

/// <summary>The classes feature: creating classes, joining them with a code, and the class each person works in.</summary>
public static class ClassesFeature
{
    public static void AddClasses(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CourseService>();
        builder.Services.AddSingleton<WorkingClasses>();
    }
}
