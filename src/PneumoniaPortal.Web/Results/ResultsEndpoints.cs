
namespace PneumoniaPortal.Web.Results;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class ResultsEndpoints
{
    public static void MapResultsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Downloads of a finished run; RunResultsService checks the viewer may see it and leaves held-back images out.
        var downloads = endpoints.MapGroup("/api/runs/{id:int}/download").RequireAuthorization();
        downloads.MapGet("/checkpoint", (int id, RunResultsService results, CancellationToken ct) =>
            DownloadAsync(id, results, RunDownloads.Checkpoint, ct));
        downloads.MapGet("/predictions", (int id, RunResultsService results, CancellationToken ct) =>
            DownloadAsync(id, results, RunDownloads.Predictions, ct));
        downloads.MapGet("/settings", (int id, RunResultsService results, CancellationToken ct) =>
            DownloadAsync(id, results, RunDownloads.Settings, ct));
        downloads.MapGet("/figures", (int id, RunResultsService results, CancellationToken ct) =>
            DownloadAsync(id, results, RunDownloads.Figures, ct));
    }

    static async Task<IResult> DownloadAsync(int id, RunResultsService service, Func<RunResults, RunDownload?> choose, CancellationToken ct)
    {
        if (await service.LoadAsync(id, ct) is not { } results)
            return Refusal.Answer(RefusalKind.NotFound, $"Run {id} does not exist, is not yours to see, or has no test results yet.");
        if (choose(results) is not { } download)
            return Refusal.Answer(RefusalKind.NotFound, $"Run {id}'s checkpoint files are no longer on the server.");
        return Results.Stream(output => download.WriteAsync(output, ct), download.ContentType, download.FileName);
    }
}
