namespace PneumoniaPortal.Web.Dataset;

/// <summary>The data set feature: the known data sets, their thumbnails, visibility and gallery.</summary>
public static class DatasetFeature
{
    public static void AddDataset(this WebApplicationBuilder builder)
    {
        builder.Settings<DatasetOptions>(DatasetOptions.Section);
        builder.Services.AddSingleton<DatasetService>();
        builder.Services.AddSingleton<IPortalStartupStep>(sp => sp.GetRequiredService<DatasetService>());
        builder.Services.AddSingleton<DatasetThumbnails>();
        builder.Services.AddSingleton<DatasetUploads>();
        builder.Services.AddSingleton<DatasetVisibility>();
        builder.Services.AddScoped<ImageGallery>();
    }
}
