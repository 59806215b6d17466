namespace PneumoniaPortal.Tests.Shared;

/// <summary>
/// Where the tests find chest X-rays: <c>PORTAL_DATA</c> if set, else the full set beside the repo
/// (<c>../shared/data/chest_xray_224</c>), else the small attributed sample shipped in the repo.
/// </summary>
public static class TestData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SampleRoot => Path.Combine(RepoRoot, "src", "sample-data", "chest_xray_sample");

    public static string Root
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("PORTAL_DATA");
            if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
            var full = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "chest_xray_224"));
            return Directory.Exists(full) ? full : SampleRoot;
        }
    }

    /// <summary>True when <see cref="Root"/> is the full 5,840-image set rather than the shipped sample.</summary>
    public static bool IsFullSet => File.Exists(Path.Combine(Root, "manifest.csv")) && Root != SampleRoot
                                    && File.ReadLines(Path.Combine(Root, "manifest.csv")).Skip(1).Take(1000).Count() == 1000;

    public static string NewTempDirectory(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pneumonia-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A copy of the shipped sample in a new temporary folder, for tests that change files; the caller deletes it.</summary>
    public static string CopyOfSample(string purpose)
    {
        var root = NewTempDirectory(purpose);
        foreach (var file in Directory.EnumerateFiles(SampleRoot, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(SampleRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return root;
    }

    static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PneumoniaPortal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("PneumoniaPortal.sln not found above the test folder.");
    }
}
