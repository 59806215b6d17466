using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>
/// A value an enum has no name for (a label 7, a metric "Auc, F1") is refused wherever it comes in: JSON bodies, query
/// strings, and the services themselves. Nothing is stored.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class EnumValueTests(SecurityHost host)
{
    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("7")]
    [InlineData("\"7\"")]
    [InlineData("\"Normal, Pneumonia\"")]
    [InlineData("\"Bacteria\"")]
    [InlineData("null")]
    public async Task A_proposal_for_a_label_that_does_not_exist_is_refused_and_stores_nothing(string label)
    {
        var before = await ProposalCountAsync();
        var response = await host[Who.OtherStudent].Http.PostAsync("api/relabel/proposals",
            Json($$"""{"imageId": "{{host.ImageId}}", "label": {{label}}, "subtype": null, "reason": "Label {{label.Replace("\"", "")}} is what I see here"}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(body).RootElement.GetProperty("problems")[0].GetString()!;
        Assert.Contains("label", problem, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Nothing was changed.", problem);
        if (label != "null") Assert.Contains("Normal, Pneumonia", problem);
        // The message quotes what was sent, a number as written.
        if (label != "null") Assert.Contains($"'{label.Replace("\"", "")}'", problem);
        Assert.Equal(before, await ProposalCountAsync());
    }

    [Fact]
    public async Task A_proposal_without_a_label_is_refused_instead_of_meaning_normal()
    {
        var response = await host[Who.OtherStudent].Http.PostAsync("api/relabel/proposals",
            Json($$"""{"imageId": "{{host.ImageId}}", "subtype": null, "reason": "No label given at all, here"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("problems")[0].GetString()!;
        Assert.Contains("'label'", problem);
    }

    [Fact]
    public async Task A_practice_answer_run_setting_and_leaderboard_metric_that_name_nothing_are_refused()
    {
        var answer = await host[Who.Owner].Http.PostAsync($"api/relabel/practice/{host.PracticeSetId}/answers",
            Json($$"""{"itemId": {{host.PracticeItemId}}, "label": 3}"""));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);

        var run = await host[Who.Owner].Http.PostAsync("api/runs", Json("""
            {"name": "combined optimizer", "preset": "tiny", "config": {"architecture": {"name": "tiny", "inputSize": 48, "channels": 1,
             "blocks": [{"filters": 8}]}, "training": {"epochs": 1, "optimizer": "Adam, SGD"}}}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, run.StatusCode);
        Assert.Contains("Adam, AdamW, RMSprop, SGD", await run.Content.ReadAsStringAsync());

        var board = await host[Who.Instructor].Http.PutAsync($"api/leaderboards/{host.LeaderboardId}/settings",
            Json("""{"title": null, "metric": 9, "targetSpecificity": null, "dailySubmissionLimit": null}"""));
        Assert.Equal(HttpStatusCode.BadRequest, board.StatusCode);
        await using var db = await host.NewDbAsync();
        Assert.True(Enum.IsDefined((await db.Leaderboards.SingleAsync(l => l.Id == host.LeaderboardId)).Metric));
        Assert.Equal(0, await db.Runs.CountAsync(r => r.Name == "combined optimizer"));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("Open,Mine")]
    public async Task A_proposal_list_filter_that_names_nothing_is_refused(string show)
    {
        var response = await host[Who.Owner].Http.GetAsync($"api/relabel/proposals?show={Uri.EscapeDataString(show)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Open, Decided, Mine, All", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await host[Who.Owner].Http.GetAsync("api/relabel/proposals?show=mine")).StatusCode);
    }

    [Fact]
    public async Task The_relabel_service_itself_refuses_a_label_no_name_has()
    {
        // Pages call the service without JSON in between: the check must be in the service, too.
        string studentId;
        await using (var db = await host.NewDbAsync())
            studentId = await db.Users.Where(u => u.Email == DemoSeeder.StudentEmail).Select(u => u.Id).SingleAsync();
        var student = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, studentId), new Claim(ClaimTypes.Name, DemoSeeder.StudentEmail), new Claim(ClaimTypes.Role, Roles.Student)], "test"));
        var service = new RelabelService(host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), new CurrentUser(new FixedUser(student)),
            host.Services.GetRequiredService<DatasetService>(), host.Services.GetRequiredService<Web.Classes.WorkingClasses>(), host.Services.GetRequiredService<DatasetVisibility>(),
            NullLogger<RelabelService>.Instance);
        var before = await ProposalCountAsync();
        var refused = await Assert.ThrowsAsync<Refusal>(() => service.ProposeAsync(new ProposeRelabel(host.ImageId, (Label)7, null, "Label seven is what this looks like")));
        Assert.Equal(RefusalKind.Invalid, refused.Kind);
        Assert.Contains("Normal, Pneumonia", refused.Message);
        Assert.Equal(before, await ProposalCountAsync());
    }

    async Task<int> ProposalCountAsync()
    {
        await using var db = await host.NewDbAsync();
        return await db.RelabelProposals.CountAsync();
    }

    sealed class FixedUser(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
