using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Leaderboards;

[CollectionDefinition(Name)]
public sealed class LeaderboardCollection : ICollectionFixture<LeaderboardHost>
{
    public const string Name = "Leaderboard host";
}

/// <summary>
/// One portal for the leaderboard tests: the demo class gets a leaderboard, then the demo student trains one tiny run
/// while a SignalR client records every hub message about it. Tests add their own leaderboards to the same class.
/// </summary>
public sealed class LeaderboardHost : PortalHost, IAsyncLifetime
{
    public SignedInClient Instructor { get; private set; } = default!;
    public SignedInClient Student { get; private set; } = default!;
    public int CourseId { get; private set; }
    public string JoinCode { get; private set; } = "";
    public int FirstBoardId { get; private set; }
    /// <summary>The demo student's finished tiny run.</summary>
    public int RunId { get; private set; }
    /// <summary>Every hub message (and the WatchRun answer) the student received while the run trained, as JSON.</summary>
    public ConcurrentQueue<string> HubMessages { get; } = new();

    public async Task InitializeAsync()
    {
        Instructor = await SignInAsync(DemoSeeder.InstructorEmail);
        Student = await SignInAsync(DemoSeeder.StudentEmail);
        var course = await DemoCourseAsync();
        (CourseId, JoinCode) = (course.Id, course.JoinCode);
        FirstBoardId = (await CreateBoardAsync("Leak check", seed: 11)).Id;

        await using var hub = this.Hub(Student);
        foreach (var method in new[] { "epoch", "status" })
            hub.On(method, [typeof(JsonElement)], args =>
            {
                HubMessages.Enqueue(method + " " + ((JsonElement)args[0]!).GetRawText());
                return Task.CompletedTask;
            });
        await hub.StartAsync();
        RunId = await Student.StartRunAsync("leaderboard tiny run");
        var history = await hub.InvokeAsync<JsonElement>("WatchRun", RunId);
        HubMessages.Enqueue("history " + history.GetRawText());
        var done = await Student.WaitForAsync(RunId, TimeSpan.FromMinutes(4), "Succeeded", "Failed");
        if (done.Status != "Succeeded") throw new InvalidOperationException($"The tiny run failed: {done.Error}");
        for (var i = 0; i < 50 && !HubMessages.Any(m => m.Contains("\"Succeeded\"")); i++) await Task.Delay(100);
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public async Task<LeaderboardView> CreateBoardAsync(string title, int seed, LeaderboardMetric metric = LeaderboardMetric.Auc, int dailyLimit = 5)
    {
        var response = await Instructor.Http.PostAsJsonAsync("api/leaderboards", new CreateLeaderboardRequest(CourseId, new LeaderboardSettings
        {
            Title = title, Seed = seed, Metric = metric, DailySubmissionLimit = dailyLimit,
        }), PortalApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Creating {title} failed: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<LeaderboardView>(body, PortalApi.Json)!;
    }

    /// <summary>The run's own threshold and its test predictions, read straight from its folder.</summary>
    public (double Threshold, IReadOnlyDictionary<string, float> Probabilities) Predictions(int runId)
    {
        var folder = new RunFolder(Path.Combine(Services.GetRequiredService<PortalPaths>().RunsDirectory, $"run-{runId:D6}"));
        var probabilities = File.ReadLines(folder.Predictions).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => f[1] == "test")
            .ToDictionary(f => f[0], f => float.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture));
        return (folder.ReadRecord().Test!.Threshold.Threshold, probabilities);
    }

    /// <summary>Every test image some leaderboard of this portal holds back, chosen again from the stored settings.</summary>
    public async Task<IReadOnlyList<ImageRecord>> HeldBackAsync()
    {
        var active = await DefaultDatasetAsync();
        await using var db = await NewDbAsync();
        var boards = await db.Leaderboards.AsNoTracking().ToListAsync();
        return boards.SelectMany(b => LeaderboardSplit.Choose(active.Catalog.Images, b.HeldOutFraction, b.Seed).All)
            .DistinctBy(i => i.RelativePath).ToList();
    }
}
