using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.E2E.Tests.Browser;

/// <summary>Where the browser tests leave screenshots and measurements: PORTAL_TEST_RESULTS, else this project's TestResults/.</summary>
static class TestResultsFolder
{
    public static string Path { get; } = Create();

    static string Create()
    {
        var configured = Environment.GetEnvironmentVariable("PORTAL_TEST_RESULTS");
        var path = string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(TestData.RepoRoot, "tests", "PneumoniaPortal.E2E.Tests", "TestResults")
            : System.IO.Path.GetFullPath(configured);
        Directory.CreateDirectory(path);
        return path;
    }
}
