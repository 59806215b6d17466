using System.Text.Json;

namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// The portal's static files (blazor.web.js, MudBlazor, the chart and live-update scripts) for a node started from
/// the build output outside Development. ASP.NET maps them from the build's
/// <c>PneumoniaPortal.Web.staticwebassets.runtime.json</c> only in Development (elsewhere it serves them empty, as
/// from an unpublished build); rather than run the nodes as Development, this lays the manifest out once as a folder
/// (3 MB of copies: symbolic links would be served with the link's length), which a node gets as its web root
/// (<c>ASPNETCORE_WEBROOT</c>), as a published portal has.
/// </summary>
public static class PortalWebRoot
{
    static readonly Lazy<string> Folder = new(Create);

    public static string Path => Folder.Value;

    static string Create()
    {
        var manifest = System.IO.Path.Combine(AppContext.BaseDirectory, "PneumoniaPortal.Web.staticwebassets.runtime.json");
        if (!File.Exists(manifest))
            throw new FileNotFoundException("The web project's static web assets manifest is missing from the test output; build the solution.", manifest);
        var root = ScratchFolders.NewFolder("wwwroot");
        using var json = JsonDocument.Parse(File.ReadAllText(manifest));
        var contentRoots = json.RootElement.GetProperty("ContentRoots").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Lay(json.RootElement.GetProperty("Root"), root, contentRoots);
        return root;
    }

    static void Lay(JsonElement node, string target, string[] contentRoots)
    {
        if (node.TryGetProperty("Asset", out var asset) && asset.ValueKind == JsonValueKind.Object)
        {
            var source = System.IO.Path.Combine(contentRoots[asset.GetProperty("ContentRootIndex").GetInt32()], asset.GetProperty("SubPath").GetString()!);
            if (File.Exists(source) && !File.Exists(target))
                File.Copy(source, target);
            return;
        }
        Directory.CreateDirectory(target);
        if (node.TryGetProperty("Children", out var children) && children.ValueKind == JsonValueKind.Object)
            foreach (var child in children.EnumerateObject())
                Lay(child.Value, System.IO.Path.Combine(target, child.Name), contentRoots);
        if (node.TryGetProperty("Patterns", out var patterns) && patterns.ValueKind == JsonValueKind.Array)
            foreach (var pattern in patterns.EnumerateArray())
            {
                // "**" patterns: every file below that content root, at the same relative place.
                var from = contentRoots[pattern.GetProperty("ContentRootIndex").GetInt32()];
                if (!Directory.Exists(from)) continue;
                foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
                {
                    var to = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(from, file));
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
                    if (!File.Exists(to)) File.Copy(file, to);
                }
            }
    }
}
