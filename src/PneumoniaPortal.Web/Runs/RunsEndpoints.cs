namespace PneumoniaPortal.Web.Runs;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class RunsEndpoints
{
    public static void MapRunsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<TrainingHub>(TrainingHub.Path);

        // The same operations as the pages, for scripts and tests; every one checks the caller's ownership.
        var api = endpoints.MapGroup("/api/runs").RequireAuthorization();
        api.MapGet("", async (RunService runs, bool? all) => Results.Ok(await runs.ListAsync(all ?? false)));
        api.MapGet("/{id:int}", async (RunService runs, int id) =>
            await runs.GetAsync(id) is { } d
                ? Results.Ok(new { d.Run.Id, d.Run.Name, Status = d.Run.Status.ToString(), d.Run.Message, d.Run.Error, d.Run.EpochsDone, d.Run.EpochsPlanned, d.QueuePosition, d.History })
                : Refusal.Answer(RefusalKind.NotFound, $"Run {id} does not exist or is not yours to see."));
        api.MapPost("", async (RunService runs, StartRunRequest request) =>
        {
            var started = await runs.StartAsync(request);
            return Results.Created(started.Href, new { started.Id, started.GroupId, started.RunIds });
        });
        api.MapPost("/{id:int}/cancel", async (RunService runs, int id) =>
        {
            await runs.CancelAsync(id);
            return Results.NoContent();
        });
        api.MapPost("/{id:int}/resume", async (RunService runs, int id) =>
        {
            await runs.ResumeAsync(id);
            return Results.NoContent();
        });
        // Sharing with the class (only the owner shares; the owner or an instructor makes it private again).
        api.MapPost("/{id:int}/share", async (RunService runs, int id, bool? shared) =>
        {
            await runs.ShareAsync(id, shared ?? true);
            return Results.NoContent();
        });
    }
}
