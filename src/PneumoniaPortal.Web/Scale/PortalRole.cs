namespace PneumoniaPortal.Web.Scale;

/// <summary>
/// What this process does (DESIGN.md "Scale"): <c>web</c> serves pages, APIs and hubs; <c>worker</c> trains runs
/// from the shared queue; <c>all</c> (the default, one machine) does both. Set with <c>--role</c> or <c>Portal:Role</c>.
/// </summary>
public sealed record PortalRole(bool ServesUsers, bool Trains)
{
    public static readonly PortalRole All = new(true, true), Web = new(true, false), Worker = new(false, true);

    public string Name => this == Web ? "web" : this == Worker ? "worker" : "all";

    public static PortalRole From(IConfiguration config)
    {
        var asked = (config["Portal:Role"] ?? config["role"] ?? "all").Trim().ToLowerInvariant();
        return asked switch
        {
            "all" or "" => All,
            "web" => Web,
            "worker" => Worker,
            _ => throw new PortalStartupException(
                $"--role must be web, worker or all; got '{asked}'. Set it on the command line (--role web) or as Portal:Role (environment Portal__Role)."),
        };
    }
}

/// <summary>Configuration section "Portal": which database holds the portal's data.</summary>
public static class PortalDatabase
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    public static string From(IConfiguration config)
    {
        var asked = (config["Portal:Database"] ?? Sqlite).Trim().ToLowerInvariant();
        return asked is Sqlite or Postgres ? asked : throw new PortalStartupException(
            $"Portal:Database must be sqlite (one machine) or postgres (several); got '{asked}'.");
    }
}
