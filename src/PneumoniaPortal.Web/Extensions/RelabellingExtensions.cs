using PneumoniaPortal.Web.Relabelling;

namespace PneumoniaPortal.Web;

public static class RelabellingExtensions
{
    /// <summary>Relabelling (issue 5): the doubtful queue, proposals, votes, decisions, label versions, blind labelling practice.</summary>
    public static void AddRelabelling(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RelabelService>();
        builder.Services.AddScoped<DoubtfulQueueService>();
        builder.Services.AddScoped<BlindLabellingService>();
        builder.Services.AddSingleton<NearDuplicateIndex>();
        builder.Services.AddSingleton<DoubtfulQueueCache>();
        builder.Services.AddHostedService<NearDuplicateWarmup>();
    }

    public static void MapRelabellingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapBlindPracticeEndpoints();
        endpoints.MapReviewEndpoints();
        // For scripts: the most doubtful images first, without the held-back ones (the same list the /relabel page shows).
        endpoints.MapGet("/api/relabel/doubtful", async (int? take, DoubtfulQueueService queue, CancellationToken ct) =>
            Results.Ok(DoubtfulQueueApi.From(await queue.QueueAsync(ct), take ?? DoubtfulQueueApi.DefaultTake)))
            .RequireAuthorization();
    }
}
