namespace PneumoniaPortal.Web.Leaderboards;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class LeaderboardsEndpoints
{
    /// <summary>For scripts: the ranking as the caller may see it, and submitting a run. A refusal is answered by <see cref="ApiRequestExtensions.UseApiBadRequests"/>.</summary>
    public static void MapLeaderboardsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/leaderboards").RequireAuthorization();
        api.MapGet("", async (LeaderboardService boards) => Results.Ok(await boards.MineAsync()));
        api.MapPost("", async (LeaderboardService boards, CreateLeaderboardRequest request) => Results.Ok(await boards.CreateAsync(request)));
        api.MapGet("/{id:int}", async (LeaderboardService boards, int id) => Results.Ok(await boards.GetAsync(id)));
        api.MapGet("/{id:int}/eligible-runs", async (LeaderboardService boards, int id) => Results.Ok(await boards.EligibleRunsAsync(id)));
        api.MapPost("/{id:int}/submissions", async (LeaderboardService boards, int id, SubmitRunRequest request) => Results.Ok(await boards.SubmitAsync(id, request.RunId, groupId: request.GroupId)));
        api.MapPut("/{id:int}/finals", async (LeaderboardService boards, int id, FinalChoiceRequest request) => Results.Ok(await boards.ChooseFinalsAsync(id, request.SubmissionIds)));
        api.MapPut("/{id:int}/settings", async (LeaderboardService boards, int id, LeaderboardSettingsChange change) => Results.Ok(await boards.UpdateSettingsAsync(id, change)));
        api.MapPost("/{id:int}/freeze", async (LeaderboardService boards, int id, bool? frozen) => Results.Ok(await boards.SetFrozenAsync(id, frozen ?? true)));
        api.MapPost("/{id:int}/reveal", async (LeaderboardService boards, int id, bool? revealed) => Results.Ok(await boards.SetPrivateRevealedAsync(id, revealed ?? true)));
    }
}
