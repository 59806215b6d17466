using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Leaderboards;

/// <summary>Class leaderboards on a real host: creating, submitting, scoring, limits and who may do what.</summary>
[Collection(LeaderboardCollection.Name)]
public sealed class LeaderboardTests(LeaderboardHost host)
{
    static async Task<LeaderboardView> ViewAsync(SignedInClient client, int id) =>
        (await client.Http.GetFromJsonAsync<LeaderboardView>($"api/leaderboards/{id}", PortalApi.Json))!;

    static Task<HttpResponseMessage> SubmitAsync(SignedInClient client, int boardId, int runId) =>
        client.Http.PostAsJsonAsync($"api/leaderboards/{boardId}/submissions", new SubmitRunRequest(runId), PortalApi.Json);

    async Task<SignedInClient> NewStudentAsync(bool inTheClass)
    {
        var client = host.NewClient();
        await SignInTests.RegisterAsync(client, $"lb-{Guid.NewGuid():N}"[..14] + "@example.org", inTheClass ? host.JoinCode : await host.OutsiderJoinCodeAsync());
        return client;
    }

    /// <summary>ROC AUC as the share of (PNEUMONIA, NORMAL) pairs ranked the right way round, ties counting half.</summary>
    static double PairwiseAuc(IReadOnlyList<(Label Label, float P)> rows)
    {
        var positives = rows.Where(r => r.Label == Label.Pneumonia).Select(r => r.P).ToArray();
        var negatives = rows.Where(r => r.Label == Label.Normal).Select(r => r.P).ToArray();
        var wins = positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0.0));
        return wins / (positives.Length * (double)negatives.Length);
    }

    /// <summary>The board's halves chosen again from its stored share and seed (a later board on the data set reuses the first one's).</summary>
    async Task<(List<(Label, float)> Public, List<(Label, float)> Private, double Threshold)> ExpectedAsync(int boardId)
    {
        var active = await host.DefaultDatasetAsync();
        await using var db = await host.NewDbAsync();
        var stored = await db.Leaderboards.AsNoTracking().SingleAsync(l => l.Id == boardId);
        var halves = LeaderboardSplit.Choose(active.Catalog.Images, stored.HeldOutFraction, stored.Seed);
        var (threshold, probabilities) = host.Predictions(host.RunId);
        return (halves.Public.Select(i => (i.Label, probabilities[i.RelativePath])).ToList(),
            halves.Private.Select(i => (i.Label, probabilities[i.RelativePath])).ToList(), threshold);
    }

    [Fact]
    public async Task Student_submits_a_finished_run_and_ranks_first_with_the_score_an_independent_computation_gives()
    {
        var board = await host.CreateBoardAsync("First submission", seed: 21);
        // Half of each label's 70 test images, 35; the odd one of each label goes to the public half.
        Assert.Equal(36, board.PublicImages);
        Assert.Equal(34, board.PrivateImages);

        var response = await SubmitAsync(host.Student, board.Id, host.RunId);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var receipt = (await response.Content.ReadFromJsonAsync<SubmissionReceipt>(PortalApi.Json))!;
        Assert.Equal(1, receipt.Rank);
        Assert.Equal(4, receipt.RemainingToday);
        Assert.Null(receipt.PrivateScore);

        var expected = await ExpectedAsync(board.Id);
        var view = await ViewAsync(host.Student, board.Id);
        var row = Assert.Single(view.Public);
        Assert.True(row.IsMine);
        Assert.Equal("Demo student", row.Student);
        Assert.Equal("tiny", row.Preset);
        Assert.True(row.Parameters > 0);
        Assert.Equal(PairwiseAuc(expected.Public), row.Score, 9);
        Assert.Equal(1, view.MyRank);
        Assert.Equal(4, view.RemainingToday);

        var instructorView = await ViewAsync(host.Instructor, board.Id);
        Assert.Equal(PairwiseAuc(expected.Private), Assert.Single(instructorView.Private!).Score, 9);

        var page = await host.Student.Http.GetStringAsync($"leaderboard/{board.Id}");
        Assert.Contains("data-testid=\"leaderboard-table\"", page);
        Assert.Contains("Your rank: 1 of 1", page);
        Assert.Contains("data-testid=\"leaderboard-remaining\"", page);
        Assert.Contains("data-testid=\"leaderboard-run-select\"", page);
        Assert.DoesNotContain("data-testid=\"leaderboard-create\"", page);
        Assert.DoesNotContain("data-testid=\"leaderboard-freeze\"", page);
    }

    [Fact]
    public async Task Changing_the_metric_rescores_every_submission_from_the_stored_predictions()
    {
        var board = await host.CreateBoardAsync("Rescored", seed: 22);
        Assert.True((await SubmitAsync(host.Student, board.Id, host.RunId)).IsSuccessStatusCode);
        var response = await host.Instructor.Http.PutAsJsonAsync($"api/leaderboards/{board.Id}/settings",
            new LeaderboardSettingsChange(null, LeaderboardMetric.Accuracy, null, null), PortalApi.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var expected = await ExpectedAsync(board.Id);
        double Accuracy(List<(Label Label, float P)> rows) =>
            rows.Count(r => (r.P >= expected.Threshold ? Label.Pneumonia : Label.Normal) == r.Label) / (double)rows.Count;
        var view = await ViewAsync(host.Instructor, board.Id);
        Assert.Equal(LeaderboardMetric.Accuracy, view.Metric);
        Assert.Equal(Accuracy(expected.Public), Assert.Single(view.Public).Score, 9);
        Assert.Equal(Accuracy(expected.Private), Assert.Single(view.Private!).Score, 9);
    }

    [Fact]
    public async Task A_frozen_leaderboard_and_a_used_up_daily_limit_refuse_with_a_message_saying_when_it_resets()
    {
        var board = await host.CreateBoardAsync("Limits", seed: 23, dailyLimit: 1);
        Assert.True((await SubmitAsync(host.Student, board.Id, host.RunId)).IsSuccessStatusCode);
        var over = await SubmitAsync(host.Student, board.Id, host.RunId);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        var message = await over.Content.ReadAsStringAsync();
        Assert.Contains("used all 1 submissions for today", message);
        Assert.Contains("resets at midnight UTC", message);
        Assert.Equal(0, (await ViewAsync(host.Student, board.Id)).RemainingToday);
        Assert.Contains("<b>0</b> of 1 submissions left today", await host.Student.Http.GetStringAsync($"leaderboard/{board.Id}"));

        var frozen = await host.CreateBoardAsync("Frozen", seed: 24);
        Assert.True((await host.Instructor.Http.PostAsync($"api/leaderboards/{frozen.Id}/freeze", null)).IsSuccessStatusCode);
        var refused = await SubmitAsync(host.Student, frozen.Id, host.RunId);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("frozen", await refused.Content.ReadAsStringAsync());
        Assert.Empty((await ViewAsync(host.Instructor, frozen.Id)).Public);

        Assert.True((await host.Instructor.Http.PostAsync($"api/leaderboards/{frozen.Id}/freeze?frozen=false", null)).IsSuccessStatusCode);
        Assert.True((await SubmitAsync(host.Student, frozen.Id, host.RunId)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Only_the_students_own_finished_runs_on_the_leaderboards_data_set_are_accepted()
    {
        var board = await host.CreateBoardAsync("Whose run", seed: 25);
        using var classmate = await NewStudentAsync(inTheClass: true);
        var stolen = await SubmitAsync(classmate, board.Id, host.RunId);
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        Assert.Contains("is not yours", await stolen.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await SubmitAsync(classmate, board.Id, 987654)).StatusCode);

        int otherDataset, unfinished;
        await using (var db = await host.NewDbAsync())
        {
            var student = await db.Users.SingleAsync(u => u.Email == DemoSeeder.StudentEmail);
            var template = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == host.RunId);
            var elsewhere = new TrainingRun { OwnerId = student.Id, Name = "trained elsewhere", Preset = "tiny", DatasetId = template.DatasetId + 1000, Status = RunStatus.Succeeded, Folder = template.Folder };
            var queued = new TrainingRun { OwnerId = student.Id, Name = "still waiting", Preset = "tiny", DatasetId = template.DatasetId, Status = RunStatus.Queued, Folder = "run-none" };
            db.Runs.AddRange(elsewhere, queued);
            await db.SaveChangesAsync();
            (otherDataset, unfinished) = (elsewhere.Id, queued.Id);
        }
        var wrongData = await SubmitAsync(host.Student, board.Id, otherDataset);
        Assert.Equal(HttpStatusCode.BadRequest, wrongData.StatusCode);
        Assert.Contains("trained on another data set", await wrongData.Content.ReadAsStringAsync());
        var notDone = await SubmitAsync(host.Student, board.Id, unfinished);
        Assert.Equal(HttpStatusCode.BadRequest, notDone.StatusCode);
        Assert.Contains("only runs that finished training", await notDone.Content.ReadAsStringAsync());

        var eligible = await host.Student.Http.GetFromJsonAsync<List<EligibleRun>>($"api/leaderboards/{board.Id}/eligible-runs", PortalApi.Json);
        Assert.Equal([host.RunId], eligible!.Select(r => r.Id));
        Assert.Empty((await ViewAsync(host.Instructor, board.Id)).Public);
    }

    [Fact]
    public async Task Outsiders_see_no_leaderboard_and_students_cannot_create_change_freeze_or_reveal_one()
    {
        var board = await host.CreateBoardAsync("Members only", seed: 26);
        using var outsider = await NewStudentAsync(inTheClass: false);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"api/leaderboards/{board.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SubmitAsync(outsider, board.Id, host.RunId)).StatusCode);
        Assert.Empty((await outsider.Http.GetFromJsonAsync<List<LeaderboardSummary>>("api/leaderboards", PortalApi.Json))!);
        Assert.DoesNotContain("Members only", await outsider.Http.GetStringAsync($"leaderboard/{board.Id}"));

        var create = await host.Student.Http.PostAsJsonAsync("api/leaderboards",
            new CreateLeaderboardRequest(host.CourseId, new LeaderboardSettings { Title = "My own board" }), PortalApi.Json);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Student.Http.PostAsync($"api/leaderboards/{board.Id}/freeze", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Student.Http.PostAsync($"api/leaderboards/{board.Id}/reveal", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Student.Http.PutAsJsonAsync($"api/leaderboards/{board.Id}/settings",
            new LeaderboardSettingsChange(null, null, null, 100), PortalApi.Json)).StatusCode);
        var unchanged = await ViewAsync(host.Instructor, board.Id);
        Assert.False(unchanged.Frozen);
        Assert.False(unchanged.PrivateRevealed);
        Assert.Equal(5, unchanged.DailySubmissionLimit);
        // Instructors do not submit: the ranking is the students'.
        Assert.Equal(HttpStatusCode.Forbidden, (await SubmitAsync(host.Instructor, board.Id, host.RunId)).StatusCode);
    }

    [Fact]
    public async Task Private_scores_reach_students_only_after_the_instructor_reveals_them()
    {
        var board = await host.CreateBoardAsync("Reveal", seed: 27);
        Assert.True((await SubmitAsync(host.Student, board.Id, host.RunId)).IsSuccessStatusCode);
        double privateScore;
        await using (var db = await host.NewDbAsync())
            privateScore = (await db.LeaderboardSubmissions.SingleAsync(s => s.LeaderboardId == board.Id)).PrivateScore;

        var before = JsonDocument.Parse(await host.Student.Http.GetStringAsync($"api/leaderboards/{board.Id}")).RootElement;
        Assert.Equal(JsonValueKind.Null, before.GetProperty("private").ValueKind);
        Assert.All(before.GetProperty("mySubmissions").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("privateScore").ValueKind));
        var pageBefore = await host.Student.Http.GetStringAsync($"leaderboard/{board.Id}");
        Assert.DoesNotContain("leaderboard-private-table", pageBefore);
        Assert.DoesNotContain("Private score", pageBefore);
        Assert.Contains("leaderboard-private-table", await host.Instructor.Http.GetStringAsync($"leaderboard/{board.Id}"));

        Assert.True((await host.Instructor.Http.PostAsync($"api/leaderboards/{board.Id}/reveal", null)).IsSuccessStatusCode);
        var after = (await ViewAsync(host.Student, board.Id));
        Assert.Equal(privateScore, Assert.Single(after.Private!).Score, 12);
        Assert.Equal(privateScore, Assert.Single(after.MySubmissions).PrivateScore!.Value, 12);
        Assert.Contains("leaderboard-private-table", await host.Student.Http.GetStringAsync($"leaderboard/{board.Id}"));
    }
}
