using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.Web.Tests.Host;

/// <summary>Calls the portal's run API and hub as a signed-in user.</summary>
public static class PortalApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// A run that trains in a few seconds on the shipped sample: 48 px, two small blocks, and at most 200 training images
    /// (the sample has 680 outside test; validation and test are whole).
    /// </summary>
    public static RunConfig TinyConfig(int epochs = 3) => new()
    {
        Architecture = new ArchitectureSpec
        {
            Name = "tiny", InputSize = 48, Channels = 1,
            Blocks = [new ConvBlockSpec(8), new ConvBlockSpec(16)],
        },
        Augmentation = new AugmentationSettings { RotationDegrees = 5 },
        Training = new TrainingSettings { Epochs = epochs, BatchSize = 32, EarlyStoppingPatience = 0, LearningRate = 3e-3, Seed = 7, MaxTrainImages = 200 },
    };

    /// <summary>
    /// A run that keeps the worker busy for many seconds: for tests that need a run still training or waiting
    /// (a tiny run on cached images ends within a second).
    /// </summary>
    public static RunConfig SlowConfig(int epochs = 30) => TinyConfig(epochs) with
    {
        Architecture = TinyConfig().Architecture with { InputSize = 96, Blocks = [new(16), new(32), new(64)] },
    };

    /// <summary>Creates a leaderboard as this (instructor's) client and answers its id; refused, the test fails with the portal's answer.</summary>
    public static async Task<int> CreateBoardAsync(this SignedInClient instructor, int courseId, Web.Leaderboards.LeaderboardSettings settings)
    {
        var response = await instructor.Http.PostAsJsonAsync("api/leaderboards", new Web.Leaderboards.CreateLeaderboardRequest(courseId, settings), Json);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Creating {settings.Title} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }

    public static async Task<int> StartRunAsync(this SignedInClient client, string name, RunConfig? config = null)
    {
        var response = await client.Http.PostAsJsonAsync("api/runs", new StartRunRequest(name, "tiny", config ?? TinyConfig()), Json);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Starting {name} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }

    public static async Task<RunView> GetRunAsync(this SignedInClient client, int id) =>
        (await client.Http.GetFromJsonAsync<RunView>($"api/runs/{id}", Json))!;

    /// <summary>Polls the run until its status is one of <paramref name="statuses"/> (fails after the timeout).</summary>
    public static async Task<RunView> WaitForAsync(this SignedInClient client, int id, TimeSpan timeout, params string[] statuses)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await client.GetRunAsync(id);
            if (statuses.Contains(run.Status)) return run;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Run {id} is {run.Status} ({run.Message} {run.Error}) after {timeout}, not {string.Join("/", statuses)}.");
            await Task.Delay(200);
        }
    }

    public static HubConnection Hub(this PortalHost host, SignedInClient client) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(host.BaseAddress, TrainingHub.Path.TrimStart('/')), o => o.Headers.Add("Cookie", client.CookieHeader))
            .Build();
}

public sealed record RunView(int Id, string Name, string Status, string? Message, string? Error, int EpochsDone, int EpochsPlanned, int? QueuePosition, List<LiveEpoch> History);
