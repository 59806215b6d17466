using System.Text.RegularExpressions;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.Web.Tests.Runs;

/// <summary>A run's life has one owner: the table of its transitions, and no status written anywhere else.</summary>
public sealed class RunLifecycleTests
{
    [Fact]
    public void Every_status_has_its_row_succeeded_is_the_end_and_only_stopped_runs_resume()
    {
        Assert.Equal(Enum.GetValues<RunStatus>().Order(), RunLifecycle.Transitions.Keys.Order());
        Assert.Empty(RunLifecycle.Transitions[RunStatus.Succeeded]);
        Assert.Equal([RunStatus.Failed, RunStatus.Cancelled, RunStatus.Interrupted],
            Enum.GetValues<RunStatus>().Where(s => RunLifecycle.MayGo(s, RunStatus.Queued)));
        Assert.Equal([RunStatus.Queued, RunStatus.Running], Enum.GetValues<RunStatus>().Where(s => RunLifecycle.MayGo(s, RunStatus.Cancelled)));
        Assert.Equal([RunStatus.Queued], Enum.GetValues<RunStatus>().Where(s => RunLifecycle.MayGo(s, RunStatus.Running)));
    }

    [Fact]
    public void No_code_but_the_lifecycle_writes_a_runs_status()
    {
        var writes = new Regex(@"\.Status\s*=\s*RunStatus\.|SetProperty\(\s*\w+\s*=>\s*\w+\.Status\s*,\s*RunStatus\.");
        var web = Path.Combine(TestData.RepoRoot, "src", "PneumoniaPortal.Web");
        var writers = Directory.EnumerateFiles(web, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && writes.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(web, f))
            .ToList();
        Assert.Equal([Path.Combine("Runs", "RunLifecycle.cs")], writers);
    }
}
