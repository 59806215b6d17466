using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// Where the scale-out tests keep what they create: data folders, database clusters and sockets under
/// <c>/tmp/portal-scaleout/{test process id}-{random}/</c> (deleted when the test process ends), logs under
/// <c>TestResults/logs</c> (kept, for CI artifacts). A folder whose test process is gone (it crashed, or was killed
/// before it could clean up) is swept on the next start: every process whose command line or environment names the
/// folder is killed, then the folder is deleted.
/// </summary>
public static class ScratchFolders
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "portal-scaleout");

    /// <summary>The environment variable every child process gets, holding <see cref="Session"/>.</summary>
    public const string SessionVariable = "PORTAL_SCALEOUT_SESSION";

    /// <summary>This test process's folder (created, after sweeping stale ones, on first use).</summary>
    public static string Session { get; } = CreateSession();

    /// <summary>TestResults/logs (or PORTAL_TEST_RESULTS/logs): one file per service and portal node.</summary>
    public static string Logs { get; } = CreateLogs();

    /// <summary>A new empty folder in this session, e.g. <c>NewFolder("data")</c>.</summary>
    public static string NewFolder(string purpose)
    {
        var dir = Path.Combine(Session, $"{purpose}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A log file path for <paramref name="name"/>, unique within this run of the tests.</summary>
    public static string NewLog(string name) =>
        Path.Combine(Logs, $"{DateTime.Now:HHmmss}-{name}-{Guid.NewGuid().ToString("N")[..4]}.log");

    static string CreateSession()
    {
        Directory.CreateDirectory(Root);
        SweepStale();
        var session = Path.Combine(Root, $"{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(session);
        // Others (the postgres user) must reach their folders inside it.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(session, (UnixFileMode)0b111_101_101);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            ChildProcess.KillAll();
            KillProcessesNaming(session);
            TryDelete(session);
        };
        return session;
    }

    static string CreateLogs()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_TEST_RESULTS");
        var results = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(TestData.RepoRoot, "tests", "PneumoniaPortal.ScaleOut.Tests", "TestResults")
            : Path.GetFullPath(configured);
        var logs = Path.Combine(results, "logs");
        Directory.CreateDirectory(logs);
        return logs;
    }

    static void SweepStale()
    {
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var owner = Path.GetFileName(dir).Split('-')[0];
            if (int.TryParse(owner, out var pid) && Signals.IsAlive(pid) && pid != Environment.ProcessId) continue;
            KillProcessesNaming(dir);
            TryDelete(dir);
        }
    }

    /// <summary>SIGKILL to every process whose command line or environment contains <paramref name="folder"/>.</summary>
    public static void KillProcessesNaming(string folder)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(proc, "cmdline"));
                var environ = File.ReadAllText(Path.Combine(proc, "environ"));
                if (cmdline.Contains(folder, StringComparison.Ordinal) || environ.Contains(folder, StringComparison.Ordinal))
                    Signals.Send(pid, Signals.Kill);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>Deletes a folder made by <see cref="NewFolder"/> once nothing uses it (quietly: a leftover is swept later).</summary>
    public static void Delete(string dir) => TryDelete(dir);

    static void TryDelete(string dir)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try { Directory.Delete(dir, recursive: true); return; }
            catch (DirectoryNotFoundException) { return; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Thread.Sleep(200); }
        }
    }
}
