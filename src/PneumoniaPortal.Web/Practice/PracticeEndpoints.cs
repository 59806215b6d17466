namespace PneumoniaPortal.Web.Practice;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

/// <summary>
/// For scripts: blind labelling practice sets, answers, results and the images by item id. Refusals come back as
/// problem details with the message to show.
/// </summary>
public static class PracticeEndpoints
{
    public static void MapPracticeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/relabel/practice").RequireAuthorization();
        api.MapGet("", async (BlindLabellingService practice) => Results.Ok(await practice.MineAsync()));
        api.MapPost("", (BlindLabellingService practice, CreatePracticeSet request) => Answer(() => practice.CreateAsync(request)));
        api.MapGet("/{id:int}", (BlindLabellingService practice, int id) => Answer(() => practice.SheetAsync(id)));
        api.MapPost("/{id:int}/answers", (BlindLabellingService practice, int id, PracticeAnswerRequest answer) => Answer(() => practice.AnswerAsync(id, answer)));
        api.MapPost("/{id:int}/close", (BlindLabellingService practice, int id, bool? closed) => Answer(() => practice.SetClosedAsync(id, closed ?? true)));
        api.MapGet("/{id:int}/results", (BlindLabellingService practice, int id) => Answer(() => practice.ResultsAsync(id)));
        api.MapGet("/{id:int}/items/{itemId:int}/image", async (BlindLabellingService practice, HttpContext http, int id, int itemId) =>
        {
            try
            {
                var (bytes, contentType) = await practice.ImageAsync(id, itemId, http.RequestAborted);
                http.Response.Headers.CacheControl = "private, max-age=3600";
                return Results.Bytes(bytes, contentType);
            }
            catch (PracticeRefusal e)
            {
                return Results.Problem(e.Message, statusCode: e.Status, title: "The practice set refused");
            }
        });
    }

    static async Task<IResult> Answer<T>(Func<Task<T>> action)
    {
        try
        {
            return Results.Ok(await action());
        }
        catch (PracticeRefusal e)
        {
            return Results.Problem(e.Message, statusCode: e.Status, title: "The practice set refused");
        }
    }
}
