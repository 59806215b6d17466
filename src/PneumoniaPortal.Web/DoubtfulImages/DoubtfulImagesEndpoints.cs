namespace PneumoniaPortal.Web.DoubtfulImages;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class DoubtfulImagesEndpoints
{
    public static void MapDoubtfulImagesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // For scripts: the most doubtful images first, without the held-back ones (the same list the /relabel page shows).
        endpoints.MapGet("/api/relabel/doubtful", async (int? take, DoubtfulQueueService queue, CancellationToken ct) =>
            Results.Ok(DoubtfulQueueApi.From(await queue.QueueAsync(ct), take ?? DoubtfulQueueApi.DefaultTake)))
            .RequireAuthorization();
    }
}
