using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Activations;

/// <summary>The activations feature: layer mosaics and Grad-CAM, computed on a queue.</summary>
public static class ActivationsFeature
{
    public static void AddActivations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ActivationQueue>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ActivationQueue>());
        builder.Services.AddScoped<ActivationService>();
        builder.Services.AddScoped<IRunPredictor, PredictionService>();
    }
}
