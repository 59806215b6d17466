namespace PneumoniaPortal.Web;

/// <summary>Configuration section "ConnectionStrings" (environment <c>ConnectionStrings__Portal</c> and so on).</summary>
public sealed class ConnectionStringsOptions
{
    public const string Section = "ConnectionStrings";

    /// <summary>The portal's database: a SQLite file by default (<c>{Portal:DataDirectory}/portal.db</c>), required for postgres.</summary>
    public string? Portal { get; set; }
    /// <summary>The shared training queue's PostgreSQL database, required when <c>Training:Storage</c> is postgres.</summary>
    public string? Hangfire { get; set; }
    /// <summary>Redis for the SignalR backplane between web nodes; none on one machine.</summary>
    public string? Redis { get; set; }
}
