namespace PneumoniaPortal.Web.Compare;

/// <summary>The compare feature: 2 to 4 runs side by side.</summary>
public static class CompareFeature
{
    public static void AddCompare(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RunComparisonService>();
    }
}
