namespace PneumoniaPortal.Web.Classes;

/// <summary>The classes feature: creating classes and joining them with a code.</summary>
public static class ClassesFeature
{
    public static void AddClasses(this WebApplicationBuilder builder) => builder.Services.AddScoped<CourseService>();
}
