namespace PneumoniaPortal.Web;

/// <summary>Where the portal keeps its files: database, imported data sets, run folders, decode cache.</summary>
public sealed record PortalPaths(string DataDirectory, string RunsDirectory, string DatasetsDirectory, string CacheDirectory, string ContentRoot)
{
    public static PortalPaths From(PortalOptions portal, IHostEnvironment env)
    {
        var data = Path.GetFullPath(portal.DataDirectory ?? Path.Combine(env.ContentRootPath, "App_Data"), env.ContentRootPath);
        return new PortalPaths(
            data,
            Path.Combine(data, "runs"),
            Path.Combine(data, "datasets"),
            Path.GetFullPath(portal.CacheDirectory ?? Path.Combine(data, "cache"), env.ContentRootPath),
            env.ContentRootPath);
    }
}
