namespace PneumoniaPortal.Web.Classes;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class ClassesEndpoints
{
    /// <summary>For scripts: a class's roster and what its instructors change. <see cref="CourseService"/> checks who teaches it.</summary>
    public static void MapClassesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/classes").RequireAuthorization();
        api.MapGet("", async (CourseService courses) => Results.Ok(await courses.MyCoursesAsync()));
        api.MapPost("/join", async (CourseService courses, JoinClassRequest request) => Results.Ok(new { name = await courses.JoinAsync(request.Code) }));
        api.MapGet("/{id:int}/roster", async (CourseService courses, int id) => Results.Ok(await courses.RosterAsync(id)));
        api.MapDelete("/{id:int}/members/{userId}", async (CourseService courses, int id, string userId) =>
        {
            await courses.RemoveMemberAsync(id, userId);
            return Results.NoContent();
        });
        api.MapPost("/{id:int}/join-code", async (CourseService courses, int id) => Results.Ok(new { joinCode = await courses.RenewJoinCodeAsync(id) }));
        api.MapPost("/{id:int}/instructors", async (CourseService courses, int id, AddInstructorRequest request) =>
        {
            await courses.AddInstructorAsync(id, request.Email);
            return Results.NoContent();
        });
        api.MapPost("/{id:int}/archive", async (CourseService courses, int id, bool? archived) =>
        {
            await courses.SetArchivedAsync(id, archived ?? true);
            return Results.NoContent();
        });
        api.MapPut("/{id:int}/quotas", async (CourseService courses, int id, ClassQuotas quotas) =>
        {
            await courses.SetQuotasAsync(id, quotas);
            return Results.NoContent();
        });
        api.MapPut("/{id:int}/dataset", async (CourseService courses, int id, ClassDatasetRequest request) =>
        {
            await courses.SetDatasetAsync(id, request.DatasetId);
            return Results.NoContent();
        });
        // The class the caller works in (and so the data set their pages show), and the classes they may switch to.
        api.MapGet("/working", async (HttpContext http, WorkingClasses working) => Results.Ok(await working.OfAsync(Security.Viewer.Of(http.User))));
        api.MapPut("/working", async (HttpContext http, WorkingClasses working, WorkingClassRequest request) =>
            Results.Ok(await working.ChooseAsync(Security.Viewer.Of(http.User), request.CourseId)));
    }
}
