namespace PneumoniaPortal.Web.Scale;

/// <summary>Which database holds the portal's data (<see cref="PortalOptions.Database"/>).</summary>
public static class PortalDatabase
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    /// <summary>The database a (validated) <see cref="PortalOptions"/> names.</summary>
    public static string From(PortalOptions options) => Parse(options.Database) ?? Sqlite;

    /// <summary>The database asked for, or null for a name that is none.</summary>
    public static string? Parse(string? database) => Asked(database) is Sqlite or Postgres ? Asked(database) : null;

    internal static string Asked(string? database) => (database ?? Sqlite).Trim().ToLowerInvariant();
}
