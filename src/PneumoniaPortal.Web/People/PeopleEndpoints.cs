namespace PneumoniaPortal.Web.People;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class PeopleEndpoints
{
    /// <summary>For scripts: the admins' people operations. <see cref="PeopleService"/> refuses everyone but admins.</summary>
    public static void MapPeopleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/admin/people").RequireAuthorization();
        api.MapGet("", async (PeopleService people, string? search) => Results.Ok(await people.ListAsync(search)));
        api.MapPost("/{id}/roles", async (PeopleService people, string id, RoleChange change) =>
        {
            await people.SetRoleAsync(id, change.Role, change.Granted);
            return Results.NoContent();
        });
        api.MapPost("/{id}/lock", async (PeopleService people, string id, bool? locked) =>
        {
            await people.SetLockedAsync(id, locked ?? true);
            return Results.NoContent();
        });
        api.MapPost("/{id}/reset-link", async (PeopleService people, string id, bool? email) => Results.Ok(await people.ResetLinkAsync(id, email ?? false)));
        api.MapPost("/invitations", async (PeopleService people, InviteRequest request) => Results.Ok(await people.InviteAsync(request.Email, request.Role, request.SendEmail)));
    }
}
