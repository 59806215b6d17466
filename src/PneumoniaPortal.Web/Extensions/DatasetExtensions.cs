using PneumoniaPortal.Web.Datasets;

namespace PneumoniaPortal.Web;

public static class DatasetExtensions
{
    /// <summary>The active data set (sample, configured or imported), its thumbnails and the import service.</summary>
    public static void AddDatasets(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatasetService>();
        builder.Services.AddSingleton<IPortalStartupStep>(sp => sp.GetRequiredService<DatasetService>());
    }

    public static void MapDatasetEndpoints(this IEndpointRouteBuilder endpoints)
    {
    }
}
