using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Scale;

namespace PneumoniaPortal.Web;

public static class PortalDataExtensions
{
    /// <summary>
    /// The portal database: an embedded SQLite file by default (<c>ConnectionStrings:Portal</c>, default
    /// <c>Data Source={Portal:DataDirectory}/portal.db</c>), or PostgreSQL shared by several nodes
    /// (<c>Portal:Database=postgres</c>). Migrations are applied and demo accounts seeded at start.
    /// </summary>
    public static void AddPortalData(this WebApplicationBuilder builder)
    {
        var portal = builder.Settings<PortalOptions>(PortalOptions.Section);
        var connection = builder.Settings<ConnectionStringsOptions>(ConnectionStringsOptions.Section).Portal;
        builder.Settings<SeedOptions>(SeedOptions.Section);
        var paths = PortalPaths.From(portal, builder.Environment);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(PortalRole.From(portal));
        var database = PortalDatabase.From(portal);
        if (database == PortalDatabase.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connection))
                throw new PortalStartupException("Portal:Database is postgres but ConnectionStrings:Portal (environment ConnectionStrings__Portal) is not set.");
            builder.Services.AddDbContextFactory<PostgresPortalDbContext>(o => o.UseNpgsql(connection));
            // Everything else asks for the portal's data by its common type.
            builder.Services.AddSingleton<IDbContextFactory<PortalDbContext>, PostgresFactory>();
        }
        else
        {
            connection ??= $"Data Source={Path.Combine(paths.DataDirectory, "portal.db")}";
            builder.Services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connection));
        }
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        builder.Services.AddTransient<DemoSeeder>();
    }

    sealed class PostgresFactory(IDbContextFactory<PostgresPortalDbContext> inner) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => inner.CreateDbContext();
    }

    /// <summary>
    /// Several nodes may start at once on one PostgreSQL database: the first migrates and seeds while the others wait
    /// on an advisory lock (held on the context's connection until the seeding is done).
    /// </summary>
    static async Task MigrateAsync(PortalDbContext db)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7160501)");
        }
        await db.Database.MigrateAsync();
    }

    /// <summary>Creates or upgrades the database, seeds the demo accounts on first start, and prepares the data set and job queue.</summary>
    public static async Task PreparePortalAsync(this WebApplication app)
    {
        PortalSettings.ValidateAll(app.Services);
        var paths = app.Services.GetRequiredService<PortalPaths>();
        if (StartupChecks.WritableProblem(paths.DataDirectory) is { } problem)
            throw new PortalStartupException($"{problem} Set Portal:DataDirectory (environment Portal__DataDirectory) to a folder the portal may write.");
        bool seeded;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            try
            {
                await MigrateAsync(db);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                throw new PortalStartupException(
                    $"The portal database ({db.Database.ProviderName?.Split('.').Last()}) cannot be opened or upgraded: {e.Message} " +
                    "Check ConnectionStrings:Portal and that the database file or server is reachable and writable.", e);
            }
            seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
            // Creates the sign-in key ring in the shared data folder now, inside the lock, so nodes started together
            // do not each make a key of their own (a cookie signed by one would be unknown to the others for a while).
            Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Protect(
                scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("PneumoniaPortal.Start"), "ready");
            if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7160501)");
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
        // Last, once the data set is known to load: the demo student's example run, on a portal seeded just now.
        if (seeded) await app.Services.GetRequiredService<Runs.DemoExampleRun>().QueueAsync(app.Lifetime.ApplicationStopping);
    }
}
