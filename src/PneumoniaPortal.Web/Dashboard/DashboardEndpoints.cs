using System.Text;

namespace PneumoniaPortal.Web.Dashboard;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class DashboardEndpoints
{
    /// <summary>For scripts: a class's view as the caller may see it, and its figures as CSV for its instructors.</summary>
    public static void MapDashboardEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/classes").RequireAuthorization();
        api.MapGet("/{id:int}/dashboard", async (ClassDashboardService dashboards, int id) => Results.Ok(await dashboards.GetAsync(id)));
        api.MapGet("/{id:int}/dashboard.csv", async (ClassDashboardService dashboards, int id) =>
        {
            var (name, csv) = await dashboards.CsvAsync(id);
            return Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", name);
        });
    }
}
