using PneumoniaPortal.Web.Scale;

namespace PneumoniaPortal.Web;

/// <summary>Configuration section "Portal": where the portal keeps its files and what this process does.</summary>
public sealed class PortalOptions : IValidatedOptions
{
    public const string Section = "Portal";

    /// <summary>Where the database, run folders, imported data sets and sign-in keys live, relative to the content root (default <c>App_Data</c>).</summary>
    public string? DataDirectory { get; set; }
    /// <summary>Decoded images, thumbnails and near-duplicate hashes; may be local to each node (default <c>{DataDirectory}/cache</c>).</summary>
    public string? CacheDirectory { get; set; }
    /// <summary><c>web</c>, <c>worker</c> or <c>all</c> (the default); also <c>--role</c> on the command line.</summary>
    public string? Role { get; set; }
    /// <summary><c>sqlite</c> (the default, one machine) or <c>postgres</c> (several).</summary>
    public string? Database { get; set; }
    /// <summary>Seconds between looks for data set changes made on other nodes (postgres only); 0 turns it off (default 5).</summary>
    public double SyncSeconds { get; set; } = 5;

    public IEnumerable<string> Validate()
    {
        if (PortalRole.Parse(Role) is null)
            yield return $"--role must be web, worker or all; got '{PortalRole.Asked(Role)}'. Set it on the command line (--role web) or as Portal:Role (environment Portal__Role).";
        if (PortalDatabase.Parse(Database) is null)
            yield return $"Portal:Database must be sqlite (one machine) or postgres (several); got '{PortalDatabase.Asked(Database)}'.";
    }
}
