using System.Diagnostics;

namespace PneumoniaPortal.Tests.Shared;

/// <summary>
/// The two test projects that drive Chromium (the browser tests and the scale-out tests) run one after the other:
/// `dotnet test` on the solution would run them side by side, and on two cores two portals with their browsers and
/// training runs leave each page waiting on the other project's. The turn is held until the process ends; it is
/// taken before the shared machine turn, so a project waiting here keeps no load test from starting.
/// </summary>
public static partial class MachineTurn
{
    internal static readonly string BrowserLockFile = Path.Combine(Path.GetTempPath(), "pneumonia-portal-tests.browsers.turn");
    static FileStream? _browsers;

    static partial void BeforeJoining()
    {
        if (_browsers is not null) return; // joining again after a load test's turn alone
        _browsers = Take(BrowserLockFile, share: false, TimeSpan.FromMinutes(30), out var waited);
        if (_browsers is null)
            Console.Error.WriteLine($"{Process.GetCurrentProcess().ProcessName}: the other browser test project still ran after {waited.TotalMinutes:0} min; going on beside it.");
        else if (waited > TimeSpan.FromSeconds(1))
            Console.WriteLine($"Waited {waited.TotalSeconds:0} s for the other browser test project to finish.");
    }
}
