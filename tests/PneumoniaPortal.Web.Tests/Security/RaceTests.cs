using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>
/// Limits that hold when requests race: the run quota, one open proposal per image and the daily submission limit are
/// enforced by the database, so many requests at the same moment (on one node or several) pass exactly as many as allowed.
/// </summary>
public sealed class RaceTests
{
    sealed class Portal() : PortalHost(new Dictionary<string, string?> { ["Training:MaxQueuedRunsPerStudent"] = "2" });

    static Task<PortalDbContext> DbAsync(PortalHost portal) => portal.NewDbAsync();

    [Fact]
    public async Task Many_run_starts_at_once_queue_no_more_runs_than_the_students_quota()
    {
        using var portal = new Portal();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var starts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            student.Http.PostAsJsonAsync("api/runs", new StartRunRequest($"race {i}", "tiny", PortalApi.SlowConfig(epochs: 50)), PortalApi.Json)));
        Assert.Equal(2, starts.Count(r => r.StatusCode == HttpStatusCode.Created));
        await using var db = await portal.NewDbAsync();
        var runs = await db.Runs.Where(r => r.Name.StartsWith("race ")).ToListAsync();
        Assert.Equal(2, runs.Count);
        Assert.Equal([1, 2], runs.Select(r => r.QuotaSlot!.Value).Order());
        foreach (var run in runs) await student.Http.PostAsync($"api/runs/{run.Id}/cancel", null);
        foreach (var run in runs) await student.WaitForAsync(run.Id, TimeSpan.FromMinutes(1), "Cancelled");

        // A cancelled run gives its slot back.
        var next = await student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("after the race", "tiny", PortalApi.TinyConfig(1)), PortalApi.Json);
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
    }

    [Fact]
    public async Task A_students_run_stored_before_quota_slots_existed_is_not_queued_again_past_the_quota()
    {
        using var portal = new Portal();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var old = await student.StartRunAsync("slotless old", PortalApi.SlowConfig(epochs: 50));
        await student.Http.PostAsync($"api/runs/{old}/cancel", null);
        await student.WaitForAsync(old, TimeSpan.FromMinutes(1), "Cancelled");
        // As a run interrupted before the upgrade that brought slots: no slot.
        await using (var db = await portal.NewDbAsync())
            await db.Runs.Where(r => r.Id == old).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Interrupted).SetProperty(r => r.CancelRequested, false).SetProperty(r => r.QuotaSlot, (int?)null));
        int[] full = [await student.StartRunAsync("slotless 1", PortalApi.SlowConfig(epochs: 50)), await student.StartRunAsync("slotless 2", PortalApi.SlowConfig(epochs: 50))];

        // Its worker's loss found (as RunWatchdog does it): the quota is full, so it waits for its owner.
        await portal.Services.GetRequiredService<RunLifecycle>().AutoResumeAsync(old, "its worker stopped", CancellationToken.None);
        await using (var db = await portal.NewDbAsync())
        {
            var run = await db.Runs.SingleAsync(r => r.Id == old);
            Assert.Equal(RunStatus.Interrupted, run.Status);
            Assert.Contains("waits to be resumed by hand", run.Message);
            Assert.Equal(2, await db.Runs.CountAsync(r => r.OwnerId == run.OwnerId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)));
        }
        foreach (var id in full) await student.Http.PostAsync($"api/runs/{id}/cancel", null);
        foreach (var id in full) await student.WaitForAsync(id, TimeSpan.FromMinutes(1), "Cancelled");

        // With a slot free it is queued again, and holds that slot like any other run.
        await portal.Services.GetRequiredService<RunLifecycle>().AutoResumeAsync(old, "its worker stopped", CancellationToken.None);
        await using (var db = await portal.NewDbAsync())
            Assert.Equal(1, (await db.Runs.SingleAsync(r => r.Id == old)).QuotaSlot);
        await student.Http.PostAsync($"api/runs/{old}/cancel", null);
        await student.WaitForAsync(old, TimeSpan.FromMinutes(1), "Cancelled");
    }

    [Fact]
    public async Task Many_students_proposing_a_label_for_one_image_at_once_make_one_open_proposal()
    {
        using var portal = new PortalHost();
        string code;
        code = (await portal.DemoCourseAsync()).JoinCode!;
        var students = new List<SignedInClient>();
        for (var i = 0; i < 6; i++)
        {
            var client = portal.NewClient();
            await SignInTests.RegisterAsync(client, $"p{i}-{Guid.NewGuid():N}"[..12] + "@example.org", code);
            students.Add(client);
        }
        var active = await portal.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
        var index = Enumerable.Range(0, active.Catalog.Count).First(i => active.Catalog.Images[i].Split == Split.Train && active.Catalog.Images[i].Label == Label.Normal);
        var answers = await Task.WhenAll(students.Select(s => s.Http.PostAsJsonAsync("api/relabel/proposals",
            new ProposeRelabel(active.IdOf(index), Label.Pneumonia, "bacteria", "Patchy opacity on the right, I think"), PortalApi.Json)));
        Assert.Equal(1, answers.Count(a => a.IsSuccessStatusCode));
        Assert.All(answers.Where(a => !a.IsSuccessStatusCode), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        await using var after = await portal.NewDbAsync();
        Assert.Equal(1, await after.RelabelProposals.CountAsync(p => p.RelativePath == active.Catalog.Images[index].RelativePath && p.Status == ProposalStatus.Open));
        foreach (var s in students) s.Dispose();
    }

    [Fact]
    public async Task Many_submissions_at_once_pass_the_daily_limit_no_more_often_than_it_allows()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        int courseId;
        courseId = (await portal.DemoCourseAsync()).Id;
        var board = await instructor.CreateBoardAsync(courseId, new LeaderboardSettings { Title = "Race board", Seed = 2, DailySubmissionLimit = 2 });
        var run = await student.StartRunAsync("to submit", PortalApi.TinyConfig(1));
        await student.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            student.Http.PostAsJsonAsync($"api/leaderboards/{board}/submissions", new SubmitRunRequest(run), PortalApi.Json)));
        Assert.Equal(2, answers.Count(a => a.IsSuccessStatusCode));
        Assert.All(answers.Where(a => !a.IsSuccessStatusCode), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        await using var after = await portal.NewDbAsync();
        Assert.Equal(2, await after.LeaderboardSubmissions.CountAsync(s => s.LeaderboardId == board));
    }
}
