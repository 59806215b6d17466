using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Groups;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Groups;

/// <summary>A portal where the demo student repeats a tiny run with two seeds, as one group, trained once for all these tests.</summary>
public sealed class SeedGroupHost : PortalHost, IAsyncLifetime
{
    public SignedInClient Student { get; private set; } = default!;
    public int GroupId { get; private set; }
    public IReadOnlyList<int> RunIds { get; private set; } = [];
    public string JoinCode { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Student = await SignInAsync(DemoSeeder.StudentEmail);
        JoinCode = (await DemoCourseAsync()).JoinCode;
        var response = await Student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("two seeds", "tiny", PortalApi.TinyConfig(epochs: 2), Seeds: 2), PortalApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var started = JsonSerializer.Deserialize<StartedRuns>(body, PortalApi.Json)!;
        GroupId = started.GroupId ?? throw new InvalidOperationException("No group: " + body);
        RunIds = started.RunIds;
        Assert.Equal($"/groups/{GroupId}", response.Headers.Location?.OriginalString);
        foreach (var id in RunIds)
        {
            var done = await Student.WaitForAsync(id, TimeSpan.FromMinutes(5), "Succeeded", "Failed");
            Assert.True(done.Status == "Succeeded", done.Error);
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    /// <summary>A run's threshold and its test predictions, read straight from its folder.</summary>
    public (double Threshold, IReadOnlyDictionary<string, float> Probabilities, IReadOnlyDictionary<string, Label> Labels) Predictions(int runId)
    {
        var folder = new RunFolder(Path.Combine(Services.GetRequiredService<PortalPaths>().RunsDirectory, $"run-{runId:D6}"));
        var test = folder.ReadPredictions().Where(p => p.Split == "test").ToList();
        return (folder.ReadRecord().Test!.Threshold.Threshold, test.ToDictionary(p => p.RelativePath, p => p.Probability), test.ToDictionary(p => p.RelativePath, p => p.Label));
    }
}

public sealed class SeedGroupTests(SeedGroupHost host) : IClassFixture<SeedGroupHost>
{
    async Task<SignedInClient> NewStudentAsync(string joinCode)
    {
        var client = host.NewClient();
        await SignInTests.RegisterAsync(client, $"g-{Guid.NewGuid():N}"[..12] + "@example.org", joinCode);
        return client;
    }

    static async Task<SeedGroupView?> GroupAsync(SignedInClient client, int id)
    {
        var response = await client.Http.GetAsync($"api/groups/{id}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await response.Content.ReadFromJsonAsync<SeedGroupView>(PortalApi.Json))!;
    }

    [Fact]
    public async Task Two_seeds_queue_as_one_group_whose_figures_are_the_mean_and_sd_of_each_runs_own_figures()
    {
        await using var db = await host.NewDbAsync();
        var runs = await db.Runs.AsNoTracking().Where(r => r.GroupId == host.GroupId).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(host.RunIds, runs.Select(r => r.Id));
        Assert.Equal(["two seeds · seed 7", "two seeds · seed 8"], runs.Select(r => r.Name));
        Assert.Equal([7, 8], runs.Select(r => JsonSerializer.Deserialize<Core.Settings.RunConfig>(r.ConfigJson, RunFolder.Json)!.Training.Seed));

        var group = (await GroupAsync(host.Student, host.GroupId))!;
        Assert.Equal("two seeds", group.Name);
        Assert.Equal(2, group.Finished);
        Assert.True(group.IsMine);

        // Each run's test AUC and accuracy, computed here from its predictions at its own threshold.
        var aucs = new List<double>();
        var accuracies = new List<double>();
        foreach (var id in host.RunIds)
        {
            var (threshold, probabilities, labels) = host.Predictions(id);
            var paths = probabilities.Keys.ToList();
            var positives = paths.Where(p => labels[p] == Label.Pneumonia).Select(p => probabilities[p]).ToList();
            var negatives = paths.Where(p => labels[p] == Label.Normal).Select(p => probabilities[p]).ToList();
            aucs.Add(positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0)) / (positives.Count * (double)negatives.Count));
            accuracies.Add(paths.Count(p => (probabilities[p] >= threshold ? Label.Pneumonia : Label.Normal) == labels[p]) / (double)paths.Count);
        }
        var auc = group.Figure("auc")!;
        Assert.Equal(aucs.Average(), auc.Spread!.Mean, 9);
        Assert.Equal(Math.Abs(aucs[0] - aucs[1]) / Math.Sqrt(2), auc.Spread.StandardDeviation, 9); // the sample SD of two values
        Assert.Equal(aucs, auc.PerRun.Select(v => v!.Value), new ToleranceComparer(1e-9));
        Assert.Equal(accuracies.Average(), group.Figure("accuracy")!.Spread!.Mean, 9);
        Assert.Equal(runs.Select(r => r.BestValAuc).Average()!.Value, group.Figure("valAuc")!.Spread!.Mean, 9);

        // The curves: per epoch, the mean of the runs' validation losses and one SD either side.
        var loss = group.Curves.Single(c => c.Metric == "loss");
        Assert.Equal([1, 2], loss.Points.Select(p => p.Epoch));
        var histories = new List<IReadOnlyList<LiveEpoch>>();
        foreach (var id in host.RunIds) histories.Add(await RunHistory.ReadAsync(db, id));
        var first = SeedSpread.Of(histories.Select(h => h[0].Validation.Loss))!;
        Assert.Equal(first.Mean, loss.Points[0].Mean, 12);
        Assert.Equal(first.Mean + first.StandardDeviation, loss.Points[0].Upper, 12);

        // My runs lists both runs under the group; the pages show it.
        var list = (await host.Student.Http.GetFromJsonAsync<List<RunListItem>>("api/runs", PortalApi.Json))!;
        Assert.All(list.Where(r => host.RunIds.Contains(r.Id)), r => Assert.Equal((host.GroupId, "two seeds"), (r.GroupId!.Value, r.GroupName!)));
        var page = WebUtility.HtmlDecode(await host.Student.Http.GetStringAsync($"groups/{host.GroupId}"));
        Assert.Contains("data-testid=\"group-figures\"", page);
        Assert.Contains(auc.Describe(), page);
        Assert.Contains(" ± ", auc.Describe());
        var runPage = await host.Student.Http.GetStringAsync($"runs/{host.RunIds[0]}");
        Assert.Contains($"href=\"groups/{host.GroupId}\"", runPage);
    }

    [Fact]
    public void A_members_name_keeps_the_seed_and_never_cuts_a_character_in_half()
    {
        var name = new string('a', 108) + "😀😀"; // the 109th character would be half an emoji
        var member = RunService.MemberName(name, 123);
        Assert.EndsWith(" · seed 123", member);
        Assert.True(member.Length <= 120);
        Assert.False(char.IsHighSurrogate(member[member.IndexOf(" · seed", StringComparison.Ordinal) - 1]));
        Assert.Equal("short · seed 1", RunService.MemberName("short", 1));
    }

    [Fact]
    public async Task A_group_that_does_not_fit_the_quota_or_asks_for_absurd_seeds_queues_nothing()
    {
        var (student, _, id) = await host.RegisterStudentAsync(host.JoinCode);
        using var _ = student;
        async Task<string> RefusedAsync(int seeds, int seed = 7)
        {
            var config = PortalApi.TinyConfig(epochs: 1);
            var response = await student.Http.PostAsJsonAsync("api/runs",
                new StartRunRequest("too many", "tiny", config with { Training = config.Training with { Seed = seed } }, Seeds: seeds), PortalApi.Json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        // The portal's limit is 3 runs queued or running per student.
        Assert.Contains("4 more do not fit", await RefusedAsync(4));
        Assert.Contains("2 to 5 seeds", await RefusedAsync(6));
        Assert.Contains("2 to 5 seeds", await RefusedAsync(0));
        Assert.Contains("count up from the run's seed", await RefusedAsync(3, int.MaxValue));

        await using var db = await host.NewDbAsync();
        Assert.False(await db.Runs.AnyAsync(r => r.OwnerId == id));
        Assert.False(await db.SeedGroups.AnyAsync(g => g.OwnerId == id));
    }

    [Fact]
    public async Task A_classmate_sees_the_group_only_while_every_run_of_it_is_shared_and_cannot_share_it()
    {
        using var classmate = await NewStudentAsync(host.JoinCode);
        using var outsider = await NewStudentAsync(await host.OutsiderJoinCodeAsync());
        Assert.Null(await GroupAsync(classmate, host.GroupId));
        Assert.Null(await GroupAsync(outsider, host.GroupId));
        Assert.Equal(HttpStatusCode.BadRequest, (await classmate.Http.PostAsync($"api/groups/{host.GroupId}/share?shared=true", null)).StatusCode);

        try
        {
            Assert.Equal(HttpStatusCode.NoContent, (await host.Student.Http.PostAsync($"api/groups/{host.GroupId}/share?shared=true", null)).StatusCode);
            var seen = (await GroupAsync(classmate, host.GroupId))!;
            Assert.Equal(2, seen.Finished);
            Assert.False(seen.IsMine);
            Assert.Null(await GroupAsync(outsider, host.GroupId));
            // One run private again: the group is not shown by halves.
            Assert.Equal(HttpStatusCode.NoContent, (await host.Student.Http.PostAsync($"api/runs/{host.RunIds[1]}/share?shared=false", null)).StatusCode);
            Assert.Null(await GroupAsync(classmate, host.GroupId));
            var page = await classmate.Http.GetStringAsync($"groups/{host.GroupId}");
            Assert.Contains("data-testid=\"group-not-found\"", page);
        }
        finally
        {
            await host.Student.Http.PostAsync($"api/groups/{host.GroupId}/share?shared=false", null);
        }
    }

    [Fact]
    public async Task A_group_submitted_to_the_leaderboard_is_scored_on_its_runs_mean_probability_and_finals_decide_the_private_ranking()
    {
        using var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);
        var course = await host.DemoCourseAsync();
        var boardId = await instructor.CreateBoardAsync(course.Id, new LeaderboardSettings { Title = "Seeds", Seed = 31, Metric = LeaderboardMetric.Auc });

        var eligible = (await host.Student.Http.GetFromJsonAsync<List<EligibleRun>>($"api/leaderboards/{boardId}/eligible-runs", PortalApi.Json))!;
        Assert.Contains(eligible, e => e.GroupId == host.GroupId && e.Seeds == 2);

        async Task<SubmissionReceipt> SubmitAsync(int runId, int? groupId)
        {
            var response = await host.Student.Http.PostAsJsonAsync($"api/leaderboards/{boardId}/submissions", new SubmitRunRequest(runId, groupId), PortalApi.Json);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<SubmissionReceipt>(PortalApi.Json))!;
        }
        var group = await SubmitAsync(0, host.GroupId);
        var single = await SubmitAsync(host.RunIds[0], null);
        var other = await SubmitAsync(host.RunIds[1], null);

        // The group's public AUC, computed here from the mean of its two runs' probabilities on the public half.
        await using var db = await host.NewDbAsync();
        var board = await db.Leaderboards.AsNoTracking().SingleAsync(l => l.Id == boardId);
        var halves = LeaderboardSplit.Choose((await host.DefaultDatasetAsync()).Catalog.Images, board.HeldOutFraction, board.Seed);
        var a = host.Predictions(host.RunIds[0]).Probabilities;
        var b = host.Predictions(host.RunIds[1]).Probabilities;
        var labels = halves.Public.Select(i => (int)i.Label).ToArray();
        var mean = halves.Public.Select(i => (float)((a[i.RelativePath] + (double)b[i.RelativePath]) / 2)).ToArray();
        Assert.Equal(RocCurve.From(labels, mean).Auc, group.PublicScore, 6);
        Assert.Equal(RocCurve.From(labels, halves.Public.Select(i => a[i.RelativePath]).ToArray()).Auc, single.PublicScore, 9);

        // Another student cannot submit this group.
        using var classmate = await NewStudentAsync(host.JoinCode);
        var stolen = await classmate.Http.PostAsJsonAsync($"api/leaderboards/{boardId}/submissions", new SubmitRunRequest(0, host.GroupId), PortalApi.Json);
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);

        // The public row carries its interval, computed on the public half only.
        var view = (await host.Student.Http.GetFromJsonAsync<LeaderboardView>($"api/leaderboards/{boardId}", PortalApi.Json))!;
        var row = Assert.Single(view.Public);
        Assert.True(row.Lower <= row.Score && row.Score <= row.Upper, $"{row.Lower} {row.Score} {row.Upper}");
        Assert.Null(view.Private);
        Assert.Equal(3, view.MySubmissions.Count);
        Assert.Equal(host.GroupId, view.MySubmissions.Single(s => s.Id == group.SubmissionId).GroupId);

        // Finals: at most two, the student's own; the private ranking then takes the best private score among them.
        async Task<HttpResponseMessage> ChooseAsync(SignedInClient who, params int[] ids) =>
            await who.Http.PutAsJsonAsync($"api/leaderboards/{boardId}/finals", new FinalChoiceRequest(ids), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, (await ChooseAsync(host.Student, group.SubmissionId, single.SubmissionId, other.SubmissionId)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ChooseAsync(classmate, group.SubmissionId)).StatusCode);
        var privateScores = await db.LeaderboardSubmissions.AsNoTracking().Where(s => s.LeaderboardId == boardId).ToDictionaryAsync(s => s.Id, s => s.PrivateScore);
        var worst = privateScores.MinBy(p => p.Value).Key;
        Assert.True((await ChooseAsync(host.Student, worst)).IsSuccessStatusCode);
        var instructorView = (await instructor.Http.GetFromJsonAsync<LeaderboardView>($"api/leaderboards/{boardId}", PortalApi.Json))!;
        Assert.Equal(privateScores[worst], Assert.Single(instructorView.Private!).Score, 12);
        // No choice: the best private score of the two best public submissions.
        Assert.True((await ChooseAsync(host.Student)).IsSuccessStatusCode);
        var mine = await db.LeaderboardSubmissions.AsNoTracking().Where(s => s.LeaderboardId == boardId).ToListAsync();
        var expected = mine.OrderByDescending(s => s.PublicScore).ThenBy(s => s.SubmittedAt).Take(2).Max(s => s.PrivateScore);
        instructorView = (await instructor.Http.GetFromJsonAsync<LeaderboardView>($"api/leaderboards/{boardId}", PortalApi.Json))!;
        Assert.Equal(expected, Assert.Single(instructorView.Private!).Score, 12);

        // After the reveal the choice is closed, and stays closed when the ranking is hidden again: the student has seen the private scores.
        Assert.True((await instructor.Http.PostAsync($"api/leaderboards/{boardId}/reveal", null)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ChooseAsync(host.Student, group.SubmissionId)).StatusCode);
        Assert.True((await instructor.Http.PostAsync($"api/leaderboards/{boardId}/reveal?revealed=false", null)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ChooseAsync(host.Student, group.SubmissionId)).StatusCode);
        Assert.Equal(0, await db.LeaderboardSubmissions.CountAsync(s => s.LeaderboardId == boardId && s.IsFinal));
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
