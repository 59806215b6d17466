namespace PneumoniaPortal.Web.Results;

/// <summary>The results feature: a finished run's figures, images and downloads.</summary>
public static class ResultsFeature
{
    public static void AddResults(this WebApplicationBuilder builder) => builder.Services.AddScoped<RunResultsService>();
}
