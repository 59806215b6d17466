namespace PneumoniaPortal.Web.Dashboard;

/// <summary>The class view: per-student rows, pooled setting effects and the most-missed test images of one class.</summary>
public static class DashboardFeature
{
    public static void AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ClassDashboardService>();
        builder.Services.AddSingleton<RunMisses>();
    }
}
