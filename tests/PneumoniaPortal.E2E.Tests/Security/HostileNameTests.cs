using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.E2E.Tests.Browser;
using PneumoniaPortal.E2E.Tests.Host;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Runs;
using static PneumoniaPortal.E2E.Tests.Browser.PortalPages;

namespace PneumoniaPortal.E2E.Tests.Security;

/// <summary>
/// A student names a run and themselves with markup that runs script when a page writes it as HTML. Every page that
/// shows a run or display name must show it as text, for the student and for the instructor who opens their work;
/// and the pages must work under the Content-Security-Policy (no violation reported).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class HostileNameTests(PortalFixture portal, ITestOutputHelper output) : BrowserTest(portal, output)
{
    const string RunName = "<img src=x onerror=\"window.__xss=(window.__xss||0)+1\">run";
    const string OtherRunName = "<svg onload=\"window.__xss=(window.__xss||0)+1\"></svg>other";
    const string DisplayName = "<img src=y onerror=\"window.__xss=(window.__xss||0)+1\">Eve";
    const string Email = "hostile-eve@portal.local";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public Task Run_and_display_names_written_as_markup_show_as_text_and_run_no_script_on_any_page() => RunAsync(async () =>
    {
        using var server = new PortalServer();
        var courseId = await EnrolHostileStudentAsync(server);

        var eve = await SignedInOnAsync(server, Email);
        var first = await StartRunAsync(eve, RunName);
        var second = await StartRunAsync(eve, OtherRunName);
        await WaitSucceededAsync(eve, first);
        await WaitSucceededAsync(eve, second);

        var instructor = await SignedInOnAsync(server, DemoInstructor);
        var board = await PostAsync(instructor, "api/leaderboards",
            new CreateLeaderboardRequest(courseId, new LeaderboardSettings { Title = "Hostile board", Seed = 5, DailySubmissionLimit = 10 }));
        await PostAsync(eve, $"api/leaderboards/{board}/submissions", new SubmitRunRequest(first));
        await PostAsync(eve, $"api/leaderboards/{board}/submissions", new SubmitRunRequest(second));
        var practice = await PostAsync(instructor, "api/relabel/practice", new CreatePracticeSet(courseId, "Hostile practice", PracticeImageChoice.Random, 3, null, 2));
        var sheet = await GetAsync(eve, $"api/relabel/practice/{practice}");
        foreach (var item in sheet.GetProperty("items").EnumerateArray())
            await PostAsync(eve, $"api/relabel/practice/{practice}/answers", new PracticeAnswerRequest(item.GetProperty("itemId").GetInt32(), Label.Pneumonia));
        await PostAsync(instructor, $"api/relabel/practice/{practice}/close?closed=true", new { });
        var image = await VisibleImageAsync(server);
        await PostAsync(eve, "api/relabel/proposals", new ProposeRelabel(image, Label.Normal, null, RunName + " looks clear"));

        // Each page, and the hostile text it must show as text once it has loaded (a student's own practice row says "You").
        (string Path, string StudentSees, string InstructorSees)[] pages =
        [
            ($"runs/{first}", RunName, RunName), ("runs", RunName, RunName), ($"runs/compare?ids={first},{second}", OtherRunName, OtherRunName),
            ($"leaderboard/{board}", DisplayName, DisplayName), ("relabel/proposals", DisplayName, DisplayName),
            ($"relabel/practice/{practice}", "Your agreement", DisplayName),
        ];
        foreach (var (who, page) in new[] { ("student", eve), ("instructor", instructor) })
            foreach (var (path, studentSees, instructorSees) in pages)
            {
                await OpenAsync(page, path);
                if (path == "runs" && who == "instructor") await page.GetByText("Show all runs of my classes").ClickAsync();
                await Expect(page.Locator("body")).ToContainTextAsync(who == "student" ? studentSees : instructorSees, new() { Timeout = 30_000 });
                if (path.StartsWith("runs/compare", StringComparison.Ordinal))
                {
                    // The legend and the tooltip are where ApexCharts writes series names as HTML.
                    await Expect(page.Locator(".apexcharts-legend-text").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                    var box = (await page.Locator(".apexcharts-canvas").First.BoundingBoxAsync())!;
                    await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
                    await Expect(page.Locator(".apexcharts-tooltip-text-y-label").First).ToBeAttachedAsync();
                    await page.Mouse.MoveAsync(box.X + box.Width * 0.8f, box.Y + box.Height / 2);
                }
                await page.WaitForTimeoutAsync(300);
                var fired = await page.EvaluateAsync<int?>("() => window.__xss ?? null");
                Output.WriteLine($"{who} {path}: script ran {fired ?? 0} times; CSP violations: {CspViolations.Count}");
                Assert.True(fired is null, $"A name written as HTML ran script {fired} times on {path} for the {who}.");
                // Escaped, the markup never reaches the page as markup: the policy has nothing to refuse either.
                Assert.True(CspViolations.Count == 0, $"{path} for the {who}: {string.Join(" | ", CspViolations)}");
                if (path.StartsWith("runs/compare", StringComparison.Ordinal))
                    Assert.Contains(await page.Locator(".apexcharts-legend-text").AllTextContentsAsync(), t => t.Contains(RunName, StringComparison.Ordinal));
            }
        await LeaveAsync(server);
    });

    static async Task<int> EnrolHostileStudentAsync(PortalServer server)
    {
        using var scope = server.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = Email, Email = Email, EmailConfirmed = true, DisplayName = DisplayName };
        Assert.True((await users.CreateAsync(user, PortalServer.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Student)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var course = await db.Courses.SingleAsync(c => c.Name == DemoClass);
        db.CourseMembers.Add(new CourseMember { CourseId = course.Id, UserId = user.Id, Role = CourseRole.Student });
        await db.SaveChangesAsync();
        return course.Id;
    }

    static async Task<string> VisibleImageAsync(PortalServer server)
    {
        var datasets = server.Services.GetRequiredService<Web.Dataset.DatasetService>();
        var active = await datasets.GetDefaultAsync();
        var held = await server.Services.GetRequiredService<HeldOutImages>().PathsAsync(active.Catalog);
        return active.IdOf(Enumerable.Range(0, active.Catalog.Count).First(i => active.Catalog.Images[i].Split == Split.Train
            && active.Catalog.Images[i].Label == Label.Pneumonia && !held.Contains(active.Catalog.Images[i].RelativePath)));
    }

    static async Task<int> StartRunAsync(IPage page, string name)
    {
        var config = new RunConfig
        {
            Architecture = new ArchitectureSpec { Name = "tiny", InputSize = 48, Channels = 1, Blocks = [new ConvBlockSpec(8), new ConvBlockSpec(16)] },
            Training = new TrainingSettings { Epochs = 2, BatchSize = 32, EarlyStoppingPatience = 0, LearningRate = 3e-3, Seed = 7 },
        };
        var run = await PostAsync(page, "api/runs", new StartRunRequest(name, "tiny", config));
        return run;
    }

    static async Task WaitSucceededAsync(IPage page, int runId)
    {
        var until = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var run = await GetAsync(page, $"api/runs/{runId}");
            var status = run.GetProperty("status").GetString();
            if (status == "Succeeded") return;
            Assert.False(status is "Failed" or "Cancelled" || DateTime.UtcNow > until, $"Run {runId} is {status}: {run}");
            await Task.Delay(300);
        }
    }

    /// <summary>Posts JSON as the page's signed-in user; returns the answer's "id" (0 when it has none).</summary>
    static async Task<int> PostAsync<T>(IPage page, string url, T body)
    {
        var response = await page.Context.APIRequest.PostAsync(url, new()
        {
            DataString = JsonSerializer.Serialize(body, Json),
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
        });
        var text = await response.TextAsync();
        Assert.True(response.Ok, $"POST {url}: {response.Status} {text}");
        if (string.IsNullOrEmpty(text)) return 0;
        using var answer = JsonDocument.Parse(text);
        return answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("id", out var id) ? id.GetInt32() : 0;
    }

    static async Task<JsonElement> GetAsync(IPage page, string url)
    {
        var response = await page.Context.APIRequest.GetAsync(url);
        var text = await response.TextAsync();
        Assert.True(response.Ok, $"GET {url}: {response.Status} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
