using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web;

public static class PortalDataExtensions
{
    /// <summary>
    /// The portal database: an embedded SQLite file by default (<c>ConnectionStrings:Portal</c>, default
    /// <c>Data Source={Portal:DataDirectory}/portal.db</c>). Migrations are applied and demo accounts seeded at start.
    /// </summary>
    public static void AddPortalData(this WebApplicationBuilder builder)
    {
        var paths = PortalPaths.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(paths);
        var connection = builder.Configuration.GetConnectionString("Portal")
            ?? $"Data Source={Path.Combine(paths.DataDirectory, "portal.db")}";
        builder.Services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connection));
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        builder.Services.AddTransient<DemoSeeder>();
    }

    /// <summary>Creates or upgrades the database, seeds the demo accounts on first start, and prepares the data set and job queue.</summary>
    public static async Task PreparePortalAsync(this WebApplication app)
    {
        var paths = app.Services.GetRequiredService<PortalPaths>();
        if (StartupChecks.WritableProblem(paths.DataDirectory) is { } problem)
            throw new PortalStartupException($"{problem} Set Portal:DataDirectory (environment Portal__DataDirectory) to a folder the portal may write.");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            try
            {
                await db.Database.MigrateAsync();
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                throw new PortalStartupException(
                    $"The portal database ({db.Database.ProviderName?.Split('.').Last()}) cannot be opened or upgraded: {e.Message} " +
                    "Check ConnectionStrings:Portal and that the database file or server is reachable and writable.", e);
            }
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
        }
        foreach (var step in app.Services.GetServices<IPortalStartupStep>())
        {
            try
            {
                await step.RunAsync(app.Lifetime.ApplicationStopping);
            }
            catch (Exception e) when (e is Core.Dataset.DatasetLayoutException or DirectoryNotFoundException or FileNotFoundException)
            {
                throw new PortalStartupException(
                    $"The data set cannot be loaded: {e.Message} Check Dataset:Path (environment Dataset__Path), or leave it empty to start on the shipped sample.", e);
            }
        }
    }
}

/// <summary>Work done once at start after the database is ready (load the data set, recover interrupted runs).</summary>
public interface IPortalStartupStep
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>Where the portal keeps its files: database, imported data sets, run folders, decode cache.</summary>
public sealed record PortalPaths(string DataDirectory, string RunsDirectory, string DatasetsDirectory, string CacheDirectory, string ContentRoot)
{
    public static PortalPaths From(IConfiguration config, IHostEnvironment env)
    {
        var data = Path.GetFullPath(config["Portal:DataDirectory"] ?? Path.Combine(env.ContentRootPath, "App_Data"), env.ContentRootPath);
        return new PortalPaths(
            data,
            Path.Combine(data, "runs"),
            Path.Combine(data, "datasets"),
            Path.GetFullPath(config["Portal:CacheDirectory"] ?? Path.Combine(data, "cache"), env.ContentRootPath),
            env.ContentRootPath);
    }
}
