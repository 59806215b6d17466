using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web;

public static class HealthExtensions
{
    /// <summary>
    /// <c>/health</c>: database, data folder, default data set and job queue, 200 or 503 (for load balancers, Docker's
    /// HEALTHCHECK and monitoring), with each check's details for admins; <c>/health/live</c>: the process answers at all.
    /// </summary>
    public static void AddPortalHealth(this WebApplicationBuilder builder) =>
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealth>("database", tags: ["ready"])
            .AddCheck<DataFolderHealth>("data-folder", tags: ["ready"])
            .AddCheck<DatasetHealth>("dataset", tags: ["ready"])
            .AddCheck<JobQueueHealth>("job-queue", tags: ["ready"]);

    public static void MapPortalHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteJsonAsync,
        }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync }).AllowAnonymous();
    }

    /// <summary>Anonymous callers (load balancers, Docker) learn healthy or not; only admins see what was checked and where.</summary>
    static Task WriteJsonAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        if (!http.User.IsInRole(Data.Roles.Admin))
            return http.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }));
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            totalMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        }));
    }

    sealed class DatabaseHealth(IDbContextFactory<PortalDbContext> dbFactory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var courses = await db.Courses.CountAsync(ct);
                return HealthCheckResult.Healthy($"{db.Database.ProviderName?.Split('.').Last()} answers ({courses} classes)");
            }
            catch (Exception e) { return HealthCheckResult.Unhealthy($"The database does not answer: {e.Message}"); }
        }
    }

    sealed class DataFolderHealth(PortalPaths paths) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(StartupChecks.WritableProblem(paths.DataDirectory) is { } problem
                ? HealthCheckResult.Unhealthy(problem)
                : HealthCheckResult.Healthy($"{paths.DataDirectory} is writable"));
    }

    sealed class DatasetHealth(DatasetService datasets) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                var active = await datasets.GetDefaultAsync(ct);
                return active.Catalog.Count > 0
                    ? HealthCheckResult.Healthy($"'{active.Name}': {active.Catalog.Count} images")
                    : HealthCheckResult.Degraded($"'{active.Name}' has no readable images");
            }
            catch (Exception e) { return HealthCheckResult.Unhealthy($"No data set could be loaded: {e.Message}"); }
        }
    }

    sealed class JobQueueHealth(Hangfire.JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                var monitor = storage.GetMonitoringApi();
                var servers = monitor.Servers().Count;
                var stats = monitor.GetStatistics();
                return Task.FromResult(HealthCheckResult.Healthy($"{servers} workers, {stats.Enqueued} queued, {stats.Processing} training"));
            }
            catch (Exception e) { return Task.FromResult(HealthCheckResult.Unhealthy($"The job queue does not answer: {e.Message}")); }
        }
    }
}
