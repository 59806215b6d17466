using PneumoniaPortal.Web.Leaderboards;

namespace PneumoniaPortal.Web.Leaderboards;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class LeaderboardsEndpoints
{
    /// <summary>For scripts: the ranking as the caller may see it, and submitting a run. Refusals come back as problem details with the message to show.</summary>
    public static void MapLeaderboardsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/leaderboards").RequireAuthorization();
        api.MapGet("", async (LeaderboardService boards) => Results.Ok(await boards.MineAsync()));
        api.MapPost("", (LeaderboardService boards, CreateLeaderboardRequest request) => Answer(() => boards.CreateAsync(request)));
        api.MapGet("/{id:int}", (LeaderboardService boards, int id) => Answer(() => boards.GetAsync(id)));
        api.MapGet("/{id:int}/eligible-runs", (LeaderboardService boards, int id) => Answer(() => boards.EligibleRunsAsync(id)));
        api.MapPost("/{id:int}/submissions", (LeaderboardService boards, int id, SubmitRunRequest request) => Answer(() => boards.SubmitAsync(id, request.RunId)));
        api.MapPut("/{id:int}/settings", (LeaderboardService boards, int id, LeaderboardSettingsChange change) => Answer(() => boards.UpdateSettingsAsync(id, change)));
        api.MapPost("/{id:int}/freeze", (LeaderboardService boards, int id, bool? frozen) => Answer(() => boards.SetFrozenAsync(id, frozen ?? true)));
        api.MapPost("/{id:int}/reveal", (LeaderboardService boards, int id, bool? revealed) => Answer(() => boards.SetPrivateRevealedAsync(id, revealed ?? true)));
    }

    static async Task<IResult> Answer<T>(Func<Task<T>> action)
    {
        try
        {
            return Results.Ok(await action());
        }
        catch (LeaderboardRefusal e)
        {
            return Results.Problem(e.Message, statusCode: e.Status, title: "The leaderboard refused");
        }
    }
}
