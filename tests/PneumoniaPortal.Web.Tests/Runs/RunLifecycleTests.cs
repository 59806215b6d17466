using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

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

    /// <summary>
    /// A cancel pressed while a worker claims the queued run (found by the browser test, where the page then showed
    /// "Running" for a minute): whichever comes first, the run ends cancelled, and a worker that holds it is told to stop.
    /// The worker's claim is made before the cancel, or after its first or second database command.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_cancel_racing_a_workers_claim_leaves_no_run_trained_after_its_cancel(int claimAfterCommand)
    {
        using var portal = new PortalHost();
        int runId;
        await using (var db = await portal.NewDbAsync())
        {
            var student = await db.Users.SingleAsync(u => u.Email == DemoSeeder.StudentEmail);
            var run = new TrainingRun { OwnerId = student.Id, Name = "raced", Preset = "tiny", DatasetId = (await portal.DefaultDatasetAsync()).Id, Status = RunStatus.Queued, Folder = "run-raced" };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
        }
        var lifecycle = portal.Services.GetRequiredService<RunLifecycle>();
        RunClaim? claim = null;
        var claimBetween = new AfterCommand(claimAfterCommand, () => claim = lifecycle.Claim(runId, "racing-worker"));
        var options = new DbContextOptionsBuilder<PortalDbContext>(portal.Services.GetRequiredService<DbContextOptions<PortalDbContext>>())
            .AddInterceptors(claimBetween).Options;
        var cancelling = ActivatorUtilities.CreateInstance<RunLifecycle>(portal.Services, new OneOptionsFactory(options));
        if (claimAfterCommand == 0) claim = lifecycle.Claim(runId, "racing-worker");

        await cancelling.CancelAsync(runId, CancellationToken.None);

        await using (var db = await portal.NewDbAsync())
        {
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
            Assert.True(run.CancelRequested);
            if (claim is null)
                Assert.Equal(RunStatus.Cancelled, run.Status);
            else
            {
                // The worker holds it and its heartbeat reads the cancel: it stops and writes the end itself.
                Assert.Equal((RunStatus.Running, "racing-worker"), (run.Status, run.Worker));
                lifecycle.Finish(claim, RunStatus.Cancelled, "Cancelled; finished epochs are kept.", null);
                Assert.Equal(RunStatus.Cancelled, (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId)).Status);
            }
        }
    }

    sealed class OneOptionsFactory(DbContextOptions<PortalDbContext> options) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => new(options);
    }

    /// <summary>Runs <paramref name="between"/> once, right after the <paramref name="n"/>th command of the contexts it is added to.</summary>
    sealed class AfterCommand(int n, Action between) : DbCommandInterceptor
    {
        int _commands;

        void Count() { if (Interlocked.Increment(ref _commands) == n) between(); }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Count();
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Count();
            return ValueTask.FromResult(result);
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            Count();
            return ValueTask.FromResult(result);
        }
    }
}
