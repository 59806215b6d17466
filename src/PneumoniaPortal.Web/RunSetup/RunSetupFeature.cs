using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.RunSetup;

public static class RunSetupFeature
{
    /// <summary>
    /// The run set-up form's helpers: augmentation previews of the active data set's images and live layer summaries.
    /// The form also needs an <see cref="Training.IRunLauncher"/>, registered by the training feature.
    /// </summary>
    public static void AddRunSetup(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var datasets = sp.GetRequiredService<DatasetService>();
            return new AugmentationPreviewService(async ct => (await datasets.GetActiveAsync(ct)).Catalog);
        });
        builder.Services.AddSingleton<ArchitectureSummaryService>();
    }
}
