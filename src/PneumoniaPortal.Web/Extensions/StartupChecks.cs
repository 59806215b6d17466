namespace PneumoniaPortal.Web;

public static class StartupChecks
{
    /// <summary>Null when the folder exists (or can be created) and a file can be written in it; otherwise why not.</summary>
    public static string? WritableProblem(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"The data folder {folder} cannot be written ({e.Message}).";
        }
    }
}
