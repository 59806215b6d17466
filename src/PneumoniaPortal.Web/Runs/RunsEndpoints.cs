using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using PneumoniaPortal.Training.Native;

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
                : Results.NotFound(new { problems = new[] { $"Run {id} does not exist or is not yours to see." } }));
        api.MapPost("", async (RunService runs, StartRunRequest request) =>
        {
            var result = await runs.StartAsync(request);
            return result.Started ? Results.Created($"/runs/{result.RunId}", new { id = result.RunId }) : Results.Json(new { problems = result.Problems }, statusCode: result.Status);
        });
        api.MapPost("/{id:int}/cancel", async (RunService runs, int id) =>
            await runs.CancelAsync(id) is { } problem ? Results.BadRequest(new { problems = new[] { problem } }) : Results.NoContent());
        api.MapPost("/{id:int}/resume", async (RunService runs, int id) =>
            await runs.ResumeAsync(id) is { Started: false } refused ? Results.Json(new { problems = refused.Problems }, statusCode: refused.Status) : Results.NoContent());
    }
}
