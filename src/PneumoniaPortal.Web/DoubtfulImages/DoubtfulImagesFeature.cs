namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>The doubtful images feature: the queue of images whose label the evidence doubts, and its near-duplicate index.</summary>
public static class DoubtfulImagesFeature
{
    public static void AddDoubtfulImages(this WebApplicationBuilder builder)
    {
        builder.Settings<RelabellingOptions>(RelabellingOptions.Section);
        builder.Services.AddScoped<DoubtfulQueueService>();
        builder.Services.AddSingleton<BlindAnswerCounts>();
        builder.Services.AddSingleton<NearDuplicateIndex>();
        builder.Services.AddSingleton<DoubtfulQueueCache>();
        builder.Services.AddHostedService<NearDuplicateWarmup>();
    }
}
