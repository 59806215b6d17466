namespace PneumoniaPortal.Web.Practice;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

/// <summary>
/// For scripts: blind labelling practice sets, answers, results and the images by item id. A refusal is
/// answered by <see cref="ApiRequestExtensions.UseApiBadRequests"/>.
/// </summary>
public static class PracticeEndpoints
{
    public static void MapPracticeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/relabel/practice").RequireAuthorization();
        api.MapGet("", async (BlindLabellingService practice) => Results.Ok(await practice.MineAsync()));
        api.MapPost("", async (BlindLabellingService practice, CreatePracticeSet request) => Results.Ok(await practice.CreateAsync(request)));
        api.MapGet("/{id:int}", async (BlindLabellingService practice, int id) => Results.Ok(await practice.SheetAsync(id)));
        api.MapPost("/{id:int}/answers", async (BlindLabellingService practice, int id, PracticeAnswerRequest answer) => Results.Ok(await practice.AnswerAsync(id, answer)));
        api.MapPost("/{id:int}/close", async (BlindLabellingService practice, int id, bool? closed) => Results.Ok(await practice.SetClosedAsync(id, closed ?? true)));
        api.MapGet("/{id:int}/results", async (BlindLabellingService practice, int id) => Results.Ok(await practice.ResultsAsync(id)));
        // The reader study: the students' operating points on the chosen model's ROC curve, and their agreement.
        api.MapGet("/{id:int}/readers", async (BlindLabellingService practice, int id) => Results.Ok(await practice.ReaderStudyAsync(id)));
        api.MapGet("/{id:int}/reader-models", async (BlindLabellingService practice, int id) => Results.Ok(await practice.ReaderModelChoicesAsync(id)));
        api.MapPut("/{id:int}/reader-model", async (BlindLabellingService practice, int id, ReaderModelRequest request) =>
            Results.Ok(await practice.ChooseReaderModelAsync(id, request)));
        // The second read: the model's probability and heat map of one image, by item id like the image itself.
        api.MapGet("/{id:int}/items/{itemId:int}/help", async (BlindLabellingService practice, int id, int itemId) => Results.Ok(await practice.HelpAsync(id, itemId)));
        api.MapGet("/{id:int}/items/{itemId:int}/gradcam", async (BlindLabellingService practice, HttpContext http, int id, int itemId) =>
        {
            var (bytes, contentType) = await practice.GradCamAsync(id, itemId, http.RequestAborted);
            http.Response.Headers.CacheControl = "private, max-age=3600";
            return Results.Bytes(bytes, contentType);
        });
        api.MapGet("/{id:int}/items/{itemId:int}/image", async (BlindLabellingService practice, HttpContext http, int id, int itemId) =>
        {
            var (bytes, contentType) = await practice.ImageAsync(id, itemId, http.RequestAborted);
            http.Response.Headers.CacheControl = "private, max-age=3600";
            return Results.Bytes(bytes, contentType);
        });
    }
}
