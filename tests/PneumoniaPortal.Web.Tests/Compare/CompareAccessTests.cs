using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Compare;

/// <summary>A portal with two finished tiny runs of the demo student (the second with a higher learning rate), trained once for all compare tests.</summary>
public sealed class CompareHost : PortalHost, IAsyncLifetime
{
    public int First { get; private set; }
    public int Second { get; private set; }

    public async Task InitializeAsync()
    {
        using var student = await SignInAsync(DemoSeeder.StudentEmail);
        First = await student.StartRunAsync("compare base", PortalApi.TinyConfig(epochs: 2));
        var faster = PortalApi.TinyConfig(epochs: 2);
        Second = await student.StartRunAsync("compare faster", faster with { Training = faster.Training with { LearningRate = 1e-2 } });
        foreach (var id in new[] { First, Second })
        {
            var done = await student.WaitForAsync(id, TimeSpan.FromMinutes(5), "Succeeded", "Failed");
            Assert.True(done.Status == "Succeeded", done.Error);
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public async Task<string> JoinCodeOfDemoClassAsync()
    {
        return (await DemoCourseAsync()).JoinCode;
    }

    public async Task<bool> IsSharedAsync(int runId)
    {
        await using var db = await NewDbAsync();
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.SharedWithCourse).SingleAsync();
    }
}

public sealed class CompareAccessTests(CompareHost host) : IClassFixture<CompareHost>
{
    string Ids => $"{host.First},{host.Second}";

    async Task<SignedInClient> NewStudentAsync(string joinCode)
    {
        var client = host.NewClient();
        await SignInTests.RegisterAsync(client, $"c-{Guid.NewGuid():N}"[..12] + "@example.org", joinCode);
        return client;
    }

    static async Task SetSharedAsync(SignedInClient client, int id, bool shared, HttpStatusCode expected = HttpStatusCode.NoContent)
    {
        var response = await client.Http.PostAsync($"api/runs/{id}/share?shared={(shared ? "true" : "false")}", null);
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Two_finished_runs_of_the_demo_student_compare_side_by_side()
    {
        using var student = await host.SignInAsync(DemoSeeder.StudentEmail);

        var response = await student.Http.GetAsync($"api/runs/compare?ids={Ids}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal([host.First, host.Second], json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        Assert.Contains(json.GetProperty("settings").EnumerateArray(), s => s.GetProperty("field").GetString() == "Training.LearningRate");
        var accuracy = json.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "Test accuracy");
        Assert.All(accuracy.GetProperty("values").EnumerateArray(), v => Assert.InRange(v.GetDouble(), 0, 1));
        Assert.True(json.GetProperty("sharedImages").GetInt32() > 0);
        // The paired verdict: DeLong's test of the AUC difference and McNemar's of the decisions, with the sentence the page shows.
        var pair = Assert.Single(json.GetProperty("pairs").EnumerateArray());
        Assert.Equal((host.First, host.Second), (pair.GetProperty("a").GetInt32(), pair.GetProperty("b").GetInt32()));
        var ci = pair.GetProperty("auc").GetProperty("ci");
        Assert.InRange(pair.GetProperty("auc").GetProperty("difference").GetDouble(), ci[0].GetDouble(), ci[1].GetDouble());
        Assert.InRange(pair.GetProperty("mcnemar").GetProperty("p").GetDouble(), 0, 1);

        var page = await student.Http.GetStringAsync($"runs/compare?ids={Ids}");
        foreach (var part in new[] { "compare-picker", "compare-curves", "compare-metrics", "compare-verdict", "compare-confusion", "compare-settings-diff", "compare-disagreement", "compare-all-wrong" })
            Assert.Contains($"data-testid=\"{part}\"", page);
        Assert.Contains("compare faster", page);
        Assert.Contains("95% CI ", page);
        Assert.Contains("(McNemar p", page);
        Assert.DoesNotContain("compare-problem", page);
    }

    [Fact]
    public async Task A_classmate_cannot_compare_private_runs_but_can_once_the_owner_shares_them()
    {
        using var owner = await host.SignInAsync(DemoSeeder.StudentEmail);
        using var classmate = await NewStudentAsync(await host.JoinCodeOfDemoClassAsync());
        await SetSharedAsync(owner, host.First, false);
        await SetSharedAsync(owner, host.Second, false);
        var ownPage = await owner.Http.GetStringAsync($"runs/{host.First}");
        Assert.Contains("data-testid=\"share-toggle\"", ownPage);
        Assert.Contains("Share with my class", ownPage);

        var refused = await classmate.Http.GetAsync($"api/runs/compare?ids={Ids}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"Run {host.First} does not exist, or it is another student's private run", await refused.Content.ReadAsStringAsync());
        var page = await classmate.Http.GetStringAsync($"runs/compare?ids={Ids}");
        Assert.Contains("compare-problem", page);
        Assert.DoesNotContain("compare base", page);
        Assert.DoesNotContain("data-testid=\"compare-metrics\"", page);

        await SetSharedAsync(owner, host.First, true);
        await SetSharedAsync(owner, host.Second, true);

        Assert.Equal(HttpStatusCode.OK, (await classmate.Http.GetAsync($"api/runs/compare?ids={Ids}")).StatusCode);
        page = await classmate.Http.GetStringAsync($"runs/compare?ids={Ids}");
        Assert.Contains("data-testid=\"compare-metrics\"", page);
        Assert.Contains("compare base", page);
        var runPage = await classmate.Http.GetStringAsync($"runs/{host.First}");
        Assert.Contains("Shared with the class", runPage);
        Assert.DoesNotContain("role=\"switch\"", runPage); // a chip, not the owner's switch

        await SetSharedAsync(owner, host.First, false);
        await SetSharedAsync(owner, host.Second, false);
    }

    [Fact]
    public async Task A_classmate_cannot_share_or_unshare_someone_elses_run_but_an_instructor_can_unshare_it()
    {
        using var owner = await host.SignInAsync(DemoSeeder.StudentEmail);
        using var classmate = await NewStudentAsync(await host.JoinCodeOfDemoClassAsync());
        await SetSharedAsync(owner, host.First, true);
        await SetSharedAsync(owner, host.Second, false);

        await SetSharedAsync(classmate, host.First, false, HttpStatusCode.BadRequest);
        await SetSharedAsync(classmate, host.Second, true, HttpStatusCode.BadRequest);
        Assert.True(await host.IsSharedAsync(host.First));
        Assert.False(await host.IsSharedAsync(host.Second));

        using var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);
        await SetSharedAsync(instructor, host.Second, true, HttpStatusCode.BadRequest);
        await SetSharedAsync(instructor, host.First, false);
        Assert.False(await host.IsSharedAsync(host.First));
        Assert.False(await host.IsSharedAsync(host.Second));
    }

    [Fact]
    public async Task A_run_outside_any_class_cannot_be_shared_and_the_owner_is_told_to_join_one()
    {
        using var loner = await host.StudentWithoutClassAsync();
        var id = await loner.StartRunAsync("no class");
        var response = await loner.Http.PostAsync($"api/runs/{id}/share?shared=true", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("join a class", await response.Content.ReadAsStringAsync());
        await loner.Http.PostAsync($"api/runs/{id}/cancel", null);
    }
}
