namespace PneumoniaPortal.Web.Scale;

/// <summary>
/// What this process does (docs/architecture.md, "Several machines"): <c>web</c> serves pages, APIs and hubs;
/// <c>worker</c> trains runs from the shared queue; <c>all</c> (the default, one machine) does both. Set with
/// <c>--role</c> or <c>Portal:Role</c> (<see cref="PortalOptions.Role"/>).
/// </summary>
public sealed record PortalRole(bool ServesUsers, bool Trains)
{
    public static readonly PortalRole All = new(true, true), Web = new(true, false), Worker = new(false, true);

    public string Name => this == Web ? "web" : this == Worker ? "worker" : "all";

    /// <summary>The role a (validated) <see cref="PortalOptions"/> names.</summary>
    public static PortalRole From(PortalOptions options) => Parse(options.Role) ?? All;

    /// <summary>The role asked for, or null for a name that is none.</summary>
    public static PortalRole? Parse(string? role) => Asked(role) switch
    {
        "all" or "" => All,
        "web" => Web,
        "worker" => Worker,
        _ => null,
    };

    internal static string Asked(string? role) => (role ?? "all").Trim().ToLowerInvariant();
}
