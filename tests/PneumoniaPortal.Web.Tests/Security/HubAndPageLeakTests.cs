using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>The training hub's methods for every role, live epochs kept to those who may see them, and prerendered pages.</summary>
[Collection(SecurityCollection.Name)]
public sealed class HubAndPageLeakTests(SecurityHost host)
{
    /// <summary>Who may call each hub method on student A's private run (true: it answers; false: a HubException).</summary>
    static readonly Dictionary<string, Dictionary<Who, bool>> HubTable = new()
    {
        ["WatchRun"] = new() { [Who.Owner] = true, [Who.OtherStudent] = false, [Who.Instructor] = true, [Who.OtherInstructor] = false, [Who.Admin] = true },
        // Leaving a group one is not in does nothing: harmless for everyone.
        ["StopWatching"] = new() { [Who.Owner] = true, [Who.OtherStudent] = true, [Who.Instructor] = true, [Who.OtherInstructor] = true, [Who.Admin] = true },
    };

    [Fact]
    public void Every_public_method_of_every_hub_is_in_the_hub_table()
    {
        var hubs = typeof(TrainingHub).Assembly.GetTypes().Where(t => typeof(Hub).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.Equal([typeof(TrainingHub)], hubs);
        var methods = hubs.SelectMany(h => h.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName).Select(m => m.Name).Order().ToList();
        Assert.Equal(HubTable.Keys.Order(), methods);
    }

    [Fact]
    public async Task Anonymous_callers_cannot_connect_to_the_training_hub()
    {
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, TrainingHub.Path.TrimStart('/'))).Build();
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Contains("401", e.Message);
    }

    [Fact]
    public async Task Each_hub_method_answers_each_role_as_the_hub_table_says()
    {
        var wrong = new List<string>();
        foreach (var (method, allowed) in HubTable)
            foreach (var (who, expected) in allowed)
            {
                await using var hub = host.Hub(host[who]);
                await hub.StartAsync();
                bool answered;
                try
                {
                    await hub.InvokeAsync(method, host.RunId);
                    answered = true;
                }
                catch (HubException) { answered = false; }
                if (answered != expected) wrong.Add($"{method} as {who}: expected {(expected ? "an answer" : "a refusal")}, got {(answered ? "an answer" : "a refusal")}");
            }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Another_student_who_tries_to_watch_a_private_run_receives_none_of_its_epochs()
    {
        var owner = new ConcurrentQueue<string>();
        var other = new ConcurrentQueue<string>();
        await using var ownerHub = Listen(host[Who.Owner], owner);
        await using var otherHub = Listen(host[Who.OtherStudent], other);
        await ownerHub.StartAsync();
        await otherHub.StartAsync();

        var id = await host[Who.Owner].StartRunAsync("private live run", PortalApi.SlowConfig(epochs: 2));
        await ownerHub.InvokeAsync<JsonElement>("WatchRun", id);
        var refusal = await Assert.ThrowsAsync<HubException>(() => otherHub.InvokeAsync<JsonElement>("WatchRun", id));
        Assert.Contains("not yours to watch", refusal.Message);
        await host[Who.Owner].WaitForAsync(id, TimeSpan.FromMinutes(4), "Succeeded", "Failed");
        for (var i = 0; i < 50 && !owner.Any(m => m.Contains("Succeeded")); i++) await Task.Delay(100);

        Assert.Contains(owner, m => m.StartsWith("epoch"));
        Assert.Empty(other);
    }

    HubConnection Listen(SignedInClient client, ConcurrentQueue<string> into)
    {
        var hub = host.Hub(client);
        foreach (var method in new[] { "epoch", "status" })
            hub.On(method, [typeof(JsonElement)], args =>
            {
                into.Enqueue(method + " " + ((JsonElement)args[0]!).GetRawText());
                return Task.CompletedTask;
            });
        return hub;
    }

    [Theory]
    [InlineData("runs/{0}")]
    [InlineData("runs")]
    [InlineData("runs/compare?ids={0}")]
    public async Task A_prerendered_page_never_shows_another_students_private_run(string page)
    {
        var url = string.Format(page, host.RunId);
        var owners = await host[Who.Owner].Http.GetStringAsync(url.StartsWith("runs/compare") ? $"runs/{host.RunId}" : url);
        Assert.Contains(SecurityHost.RunName, owners);

        var response = await host[Who.OtherStudent].Http.GetAsync(url);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(SecurityHost.RunName, await response.Content.ReadAsStringAsync());
        var outsider = await host[Who.OtherInstructor].Http.GetStringAsync(url);
        Assert.DoesNotContain(SecurityHost.RunName, outsider);
    }

    [Theory]
    [InlineData("api/runs?all=true")]
    [InlineData("api/leaderboards/{1}/eligible-runs")]
    public async Task An_api_list_never_names_another_students_private_run(string api)
    {
        var url = string.Format(api, host.RunId, host.LeaderboardId);
        Assert.Contains(SecurityHost.RunName, await host[Who.Owner].Http.GetStringAsync(url));
        foreach (var who in new[] { Who.OtherStudent, Who.OtherInstructor })
        {
            var response = await host[who].Http.GetAsync(url);
            Assert.DoesNotContain(SecurityHost.RunName, await response.Content.ReadAsStringAsync());
        }
    }
}
