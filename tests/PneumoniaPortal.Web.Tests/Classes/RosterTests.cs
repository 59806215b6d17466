using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Classes;

/// <summary>A class's instructors run its roster: remove a student, a new join code, co-instructors, archiving, quotas.</summary>
public sealed class RosterTests
{
    static async Task<string> ProblemsAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    [Fact]
    public async Task A_removed_student_loses_the_class_shared_runs_and_leaderboard_but_keeps_their_own_runs()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        using var classmate = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var course = await portal.DemoCourseAsync();
        var (student, _, studentId) = await portal.RegisterStudentAsync(course.JoinCode);
        using var _ = student;

        var shared = await classmate.StartRunAsync("shared with the class", PortalApi.TinyConfig(epochs: 1));
        Assert.True((await classmate.Http.PostAsync($"api/runs/{shared}/share?shared=true", null)).IsSuccessStatusCode);
        var own = await student.StartRunAsync("my own run", PortalApi.TinyConfig(epochs: 1));
        var board = await instructor.CreateBoardAsync(course.Id, new LeaderboardSettings { Title = "Roster board", Seed = 3 });
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync($"api/runs/{shared}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync($"api/leaderboards/{board}")).StatusCode);

        var removed = await instructor.Http.DeleteAsync($"api/classes/{course.Id}/members/{studentId}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await student.Http.GetAsync($"api/runs/{shared}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await student.Http.GetAsync($"api/leaderboards/{board}")).StatusCode);
        Assert.DoesNotContain(board, (await student.Http.GetFromJsonAsync<JsonElement>("api/leaderboards")).EnumerateArray().Select(b => b.GetProperty("id").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync($"api/runs/{own}")).StatusCode);
        Assert.Contains(own, (await student.Http.GetFromJsonAsync<JsonElement>("api/runs")).EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        var roster = await instructor.Http.GetFromJsonAsync<ClassRoster>($"api/classes/{course.Id}/roster", PortalApi.Json);
        Assert.DoesNotContain(roster!.Members, m => m.UserId == studentId);
        // The class's instructor still sees the run the student filed under it.
        Assert.Equal(HttpStatusCode.OK, (await instructor.Http.GetAsync($"api/runs/{own}")).StatusCode);
        await classmate.WaitForAsync(shared, TimeSpan.FromMinutes(3), "Succeeded", "Failed");
    }

    [Fact]
    public async Task An_archived_class_refuses_new_runs_submissions_answers_and_members_with_a_message_and_reopens()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var course = await portal.DemoCourseAsync();
        var run = await student.StartRunAsync("finished before the archive", PortalApi.TinyConfig(epochs: 1));
        await student.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded");
        var board = await instructor.CreateBoardAsync(course.Id, new LeaderboardSettings { Title = "Archived board", Seed = 4 });

        Assert.Equal(HttpStatusCode.NoContent, (await instructor.Http.PostAsync($"api/classes/{course.Id}/archive?archived=true", null)).StatusCode);

        var start = await student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("after the archive", "tiny", PortalApi.TinyConfig()), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        Assert.Contains("is archived: it takes no new runs", await ProblemsAsync(start));
        var submit = await student.Http.PostAsJsonAsync($"api/leaderboards/{board}/submissions", new SubmitRunRequest(run), PortalApi.Json);
        Assert.Equal(HttpStatusCode.Conflict, submit.StatusCode);
        Assert.Contains("is archived: its leaderboards take no more submissions", await ProblemsAsync(submit));
        var view = await student.Http.GetFromJsonAsync<JsonElement>($"api/leaderboards/{board}");
        Assert.True(view.GetProperty("frozen").GetBoolean());
        var newBoard = await instructor.Http.PostAsJsonAsync("api/leaderboards", new CreateLeaderboardRequest(course.Id, new LeaderboardSettings { Title = "Another", Seed = 5 }), PortalApi.Json);
        Assert.Equal(HttpStatusCode.Conflict, newBoard.StatusCode);
        using var outsider = await portal.StudentWithoutClassAsync();
        var join = await outsider.Http.PostAsJsonAsync("api/classes/join", new JoinClassRequest(course.JoinCode), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, join.StatusCode);
        Assert.Contains("is archived and takes no new members", await ProblemsAsync(join));
        var roster = await instructor.Http.GetFromJsonAsync<ClassRoster>($"api/classes/{course.Id}/roster", PortalApi.Json);
        Assert.True(roster!.Archived);

        Assert.Equal(HttpStatusCode.NoContent, (await instructor.Http.PostAsync($"api/classes/{course.Id}/archive?archived=false", null)).StatusCode);
        var again = await student.Http.PostAsJsonAsync($"api/leaderboards/{board}/submissions", new SubmitRunRequest(run), PortalApi.Json);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task The_class_quotas_hold_a_student_at_start_and_in_the_estimate_but_not_its_instructor()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var course = await portal.DemoCourseAsync();

        var tooMuch = await instructor.Http.PutAsJsonAsync($"api/classes/{course.Id}/quotas", new ClassQuotas(50, 1000, null), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Contains("the portal's limit", await ProblemsAsync(tooMuch));
        Assert.Equal(HttpStatusCode.NoContent, (await instructor.Http.PutAsJsonAsync($"api/classes/{course.Id}/quotas", new ClassQuotas(1, 2, null), PortalApi.Json)).StatusCode);

        var threeEpochs = await student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("three epochs", "tiny", PortalApi.TinyConfig(epochs: 3)), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, threeEpochs.StatusCode);
        Assert.Contains($"Runs in {course.Name} may have at most 2 epochs", await ProblemsAsync(threeEpochs));
        var first = await student.StartRunAsync("within the quota", PortalApi.SlowConfig(epochs: 2));
        var second = await student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("second at once", "tiny", PortalApi.TinyConfig(epochs: 1)), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("the class's limit is 1", await ProblemsAsync(second));
        // Instructors are not held to their class's quotas.
        var taught = await instructor.StartRunAsync("instructor's run", PortalApi.TinyConfig(epochs: 3));
        Assert.True((await student.Http.PostAsync($"api/runs/{first}/cancel", null)).IsSuccessStatusCode);
        Assert.True((await instructor.Http.PostAsync($"api/runs/{taught}/cancel", null)).IsSuccessStatusCode);
        await student.WaitForAsync(first, TimeSpan.FromMinutes(2), "Cancelled");
        // A resume is a start: with another run queued, the class's limit of one refuses it.
        var other = await student.StartRunAsync("the one queued", PortalApi.SlowConfig(epochs: 2));
        var resume = await student.Http.PostAsync($"api/runs/{first}/resume", null);
        Assert.Equal(HttpStatusCode.BadRequest, resume.StatusCode);
        Assert.Contains("the class's limit is 1", await ProblemsAsync(resume));
        Assert.True((await student.Http.PostAsync($"api/runs/{other}/cancel", null)).IsSuccessStatusCode);
        await student.WaitForAsync(other, TimeSpan.FromMinutes(2), "Cancelled");

        // A weekly allowance smaller than the run's price: the form's estimate says so before the start does.
        Assert.Equal(HttpStatusCode.NoContent, (await instructor.Http.PutAsJsonAsync($"api/classes/{course.Id}/quotas", new ClassQuotas(null, null, 1), PortalApi.Json)).StatusCode);
        var big = PortalApi.SlowConfig(epochs: 100) with { Architecture = PortalApi.SlowConfig().Architecture with { InputSize = 224, Blocks = [new(32), new(64), new(128)] } };
        using (var scope = portal.Services.CreateScope())
        {
            await using var db = await portal.NewDbAsync();
            var studentId = await db.Users.Where(u => u.Email == DemoSeeder.StudentEmail).Select(u => u.Id).SingleAsync();
            var runs = ActivatorUtilities.CreateInstance<RunService>(scope.ServiceProvider, new FixedUser(studentId, Roles.Student).AsCurrentUser());
            var estimate = await runs.EstimateAsync(big);
            Assert.NotNull(estimate);
            Assert.True(estimate!.Estimate.TotalSeconds > 60, $"the big run is priced at {estimate.Estimate.TotalSeconds:0} s");
            Assert.Contains(estimate.Problems, p => p.Message.Contains("training minutes in any seven days"));
        }
        var weekly = await student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("over the week", "tiny", big), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, weekly.StatusCode);
        Assert.Contains("training minutes in any seven days", await ProblemsAsync(weekly));
    }

    [Fact]
    public async Task A_new_join_code_retires_the_old_one_and_co_instructors_must_be_instructors()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        var course = await portal.DemoCourseAsync();
        var renewed = await instructor.Http.PostAsync($"api/classes/{course.Id}/join-code", null);
        var code = (await renewed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("joinCode").GetString()!;
        Assert.NotEqual(course.JoinCode, code);

        using var late = await portal.StudentWithoutClassAsync();
        var refused = await late.Http.PostAsJsonAsync("api/classes/join", new JoinClassRequest(course.JoinCode), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("That join code was not accepted", await ProblemsAsync(refused));
        Assert.Equal(HttpStatusCode.OK, (await late.Http.PostAsJsonAsync("api/classes/join", new JoinClassRequest(code), PortalApi.Json)).StatusCode);
        var (newcomerClient, _, newcomer) = await portal.RegisterStudentAsync(code);
        using var ___ = newcomerClient;
        var roster = await instructor.Http.GetFromJsonAsync<ClassRoster>($"api/classes/{course.Id}/roster", PortalApi.Json);
        Assert.Contains(roster!.Members, m => m.UserId == newcomer && m.Role == CourseRole.Student);

        var student = await instructor.Http.PostAsJsonAsync($"api/classes/{course.Id}/instructors", new AddInstructorRequest(DemoSeeder.StudentEmail), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, student.StatusCode);
        var added = await instructor.Http.PostAsJsonAsync($"api/classes/{course.Id}/instructors", new AddInstructorRequest(DemoSeeder.AdminEmail), PortalApi.Json);
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        roster = await instructor.Http.GetFromJsonAsync<ClassRoster>($"api/classes/{course.Id}/roster", PortalApi.Json);
        Assert.Equal(2, roster!.Members.Count(m => m.Role == CourseRole.Instructor));
        // A student never reaches the roster: the same answer as for a class that does not exist.
        using var demoStudent = await portal.SignInAsync(DemoSeeder.StudentEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await demoStudent.Http.GetAsync($"api/classes/{course.Id}/roster")).StatusCode);
    }
}
