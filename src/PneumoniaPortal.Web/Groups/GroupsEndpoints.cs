namespace PneumoniaPortal.Web.Groups;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class GroupsEndpoints
{
    /// <summary>For scripts: a seed group as the caller may see it, sharing it, and comparing groups.</summary>
    public static void MapGroupsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/groups").RequireAuthorization();
        api.MapGet("/{id:int}", async (SeedGroupService groups, int id) =>
            await groups.GetAsync(id) is { } g
                ? Results.Ok(g)
                : Refusal.Answer(RefusalKind.NotFound, $"Seed group {id} does not exist or is not yours to see."));
        api.MapPost("/{id:int}/share", async (SeedGroupService groups, int id, bool? shared) =>
        {
            await groups.ShareAsync(id, shared ?? true);
            return Results.NoContent();
        });
        api.MapGet("/compare", async (SeedGroupService groups, string? ids) =>
        {
            var outcome = await groups.CompareAsync(Compare.RunComparisonService.ParseIds(ids));
            return outcome.Groups.Count == 0 ? Refusal.Answer(RefusalKind.Invalid, [.. outcome.Problems, "Choose seed groups you can see to compare them."]) : Results.Ok(outcome);
        });
    }

}
