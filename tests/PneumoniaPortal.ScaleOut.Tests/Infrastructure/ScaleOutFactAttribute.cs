namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A test that needs PostgreSQL and redis-server on this machine (and Chromium when <see cref="Browser"/> is set).
/// Where one is missing it is reported as skipped with the command that installs it, so a laptop without them still
/// runs the rest of the suite; CI sets <c>PORTAL_REQUIRE_SCALEOUT=1</c>, and then the test runs and fails instead.
/// </summary>
public sealed class ScaleOutFactAttribute : FactAttribute
{
    public ScaleOutFactAttribute()
    {
        if (ScaleOutRequirements.Problem(browser: false) is { } problem && !ScaleOutRequirements.Required)
            Skip = problem;
    }

    /// <summary>The test also drives Chromium.</summary>
    public bool Browser
    {
        get => _browser;
        set
        {
            _browser = value;
            if (ScaleOutRequirements.Problem(value) is { } problem && !ScaleOutRequirements.Required) Skip = problem;
        }
    }

    bool _browser;
}

/// <summary>What the scale-out tests need installed, and where they find it.</summary>
public static class ScaleOutRequirements
{
    public const string Install = "apt-get install postgresql redis-server";

    /// <summary><c>PORTAL_REQUIRE_SCALEOUT=1</c>: missing services fail the tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("PORTAL_REQUIRE_SCALEOUT") == "1";

    /// <summary>The folder with initdb, pg_ctl and postgres: Debian's newest /usr/lib/postgresql/*/bin, else PATH.</summary>
    public static string? PostgresBin { get; } = FindPostgresBin();

    public static string? RedisServer { get; } = FindOnPath("redis-server");

    public static string Chromium
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM");
            return string.IsNullOrWhiteSpace(configured) ? "/usr/bin/chromium" : configured;
        }
    }

    /// <summary>Why the tests cannot run here, in words with the fix; null when everything is installed.</summary>
    public static string? Problem(bool browser)
    {
        var missing = new List<string>();
        if (PostgresBin is null) missing.Add("PostgreSQL (initdb, postgres)");
        if (RedisServer is null) missing.Add("redis-server");
        var problems = new List<string>();
        if (missing.Count > 0)
            problems.Add($"The scale-out tests start their own {string.Join(" and ", missing)} on loopback, and this machine has none: " +
                         $"`{Install}` (Debian; .ci/run does this). Set PORTAL_REQUIRE_SCALEOUT=1 to fail instead of skipping.");
        if (browser && !File.Exists(Chromium))
            problems.Add($"This test drives Chromium and there is none at {Chromium}: `apt-get install chromium`, or set PORTAL_CHROMIUM.");
        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    /// <summary>Fails with <see cref="Problem"/> (for code that runs only when the test was not skipped).</summary>
    public static void Ensure(bool browser = false)
    {
        if (Problem(browser) is { } problem) throw new InvalidOperationException(problem);
    }

    static string? FindPostgresBin()
    {
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.EnumerateDirectories(debian)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")) && File.Exists(Path.Combine(d, "bin", "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null) return Path.Combine(newest, "bin");
        }
        var initdb = FindOnPath("initdb");
        if (initdb is null) return null;
        // Through a symlink (/usr/local/bin/initdb -> .../bin/initdb) to the folder that also holds postgres.
        var real = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
        var bin = Path.GetDirectoryName(real)!;
        return File.Exists(Path.Combine(bin, "postgres")) ? bin : null;
    }

    static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);
}
