using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.ScaleOut.Tests;

/// <summary>The lock the load test waits on to have the machine to itself (on a file of its own here, not the machine's).</summary>
public sealed class MachineTurnTests
{
    [Fact]
    public void A_test_that_wants_the_machine_alone_waits_while_another_holds_a_turn()
    {
        if (!OperatingSystem.IsLinux()) return; // FileShare is a flock on Unix; Windows has its own sharing rules
        var file = Path.Combine(TestData.NewTempDirectory("turn"), "turn");
        using (var other = MachineTurn.Take(file, share: true, TimeSpan.Zero, out _))
        using (var another = MachineTurn.Take(file, share: true, TimeSpan.Zero, out _))
        {
            Assert.NotNull(other);
            Assert.NotNull(another); // shared turns do not wait for each other
            Assert.Null(MachineTurn.Take(file, share: false, TimeSpan.FromSeconds(1), out var waited));
            Assert.True(waited >= TimeSpan.FromSeconds(1));
        }
        using var alone = MachineTurn.Take(file, share: false, TimeSpan.FromSeconds(5), out _);
        Assert.NotNull(alone);
        Assert.Null(MachineTurn.Take(file, share: true, TimeSpan.Zero, out _)); // and nobody starts beside it
    }

    [Fact]
    public void A_browser_test_project_holds_the_browser_turn_while_it_runs()
    {
        if (!OperatingSystem.IsLinux()) return;
        // The other browser test project would wait here until this process ends (this process opens the file anew,
        // which flock treats like another process).
        Assert.Null(MachineTurn.Take(MachineTurn.BrowserLockFile, share: false, TimeSpan.Zero, out _));
    }
}
