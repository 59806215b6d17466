using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Scale;

namespace PneumoniaPortal.Web;

public static class ScaleOutExtensions
{
    /// <summary>
    /// What every node does to work beside others on one database, queue and data folder —
    /// lost-worker detection and following data set changes made on other nodes. Split roles (<c>--role web</c>,
    /// <c>--role worker</c>) need the shared database and queue; one machine runs <c>all</c> on the embedded defaults.
    /// </summary>
    public static void AddScaleOut(this WebApplicationBuilder builder)
    {
        var portal = builder.Settings<PortalOptions>(PortalOptions.Section);
        var training = builder.Settings<TrainingOptions>(TrainingOptions.Section);
        var role = PortalRole.From(portal);
        if (role != PortalRole.All)
        {
            if (PortalDatabase.From(portal) != PortalDatabase.Postgres)
                throw new PortalStartupException($"--role {role.Name} shares its data with other nodes: set Portal:Database=postgres and ConnectionStrings:Portal (the embedded SQLite file belongs to one machine).");
            if (training.Storage != "postgres")
                throw new PortalStartupException($"--role {role.Name} shares the training queue with other nodes: set Training:Storage=postgres and ConnectionStrings:Hangfire (an in-memory queue is seen by one process only).");
        }
        if (!role.Trains)
            // Nothing to hand back on a web-only node: do not hold a restart for 30 s waiting on open pages' circuits.
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddHostedService<RunWatchdog>();
        // On the embedded SQLite file this process is the only node: nothing changes the data set behind its back.
        if (PortalDatabase.From(portal) == PortalDatabase.Postgres)
            builder.Services.AddHostedService<NodeSync>();
    }
}
