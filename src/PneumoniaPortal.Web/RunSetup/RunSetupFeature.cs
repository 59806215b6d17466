using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.RunSetup;

public static class RunSetupFeature
{
    /// <summary>
    /// The run set-up form's helpers: augmentation previews of the images of the viewer's data set and live layer summaries.
    /// The form also needs an <see cref="Training.IRunLauncher"/>, registered by the training feature.
    /// </summary>
    public static void AddRunSetup(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped(sp =>
        {
            var visibility = sp.GetRequiredService<DatasetVisibility>();
            var currentUser = sp.GetRequiredService<Security.CurrentUser>();
            return new AugmentationPreviewService(async ct => await visibility.ForAsync(await currentUser.GetAsync(), ct));
        });
        builder.Services.AddSingleton<ArchitectureSummaryService>();
    }
}
