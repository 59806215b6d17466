namespace PneumoniaPortal.Web;

public static class RunAnalysisExtensions
{
    /// <summary>Run results (issue 4): held-back test images, run results and downloads.</summary>
    public static void AddRunAnalysis(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Leaderboards.HeldOutImages>();
        builder.Services.AddScoped<Analysis.RunResultsService>();
    }

    public static void MapRunAnalysisEndpoints(this IEndpointRouteBuilder endpoints)
    {
    }
}
