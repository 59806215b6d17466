using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Leaderboards;

/// <summary>
/// The smaller ways a held-back image could still show: a picture computed before it was held back, a run message
/// naming a file the trainer left out, and the results of a run on a data set that is no longer the default (which
/// must not read and hash that data set again on every request).
/// </summary>
public sealed class HeldBackEverywhereTests : IDisposable
{
    readonly string _data = TestData.CopyOfSample("held-everywhere");

    sealed class Portal(string data) : PortalHost(new Dictionary<string, string?> { ["Dataset:Path"] = data });

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    static async Task<int> CourseIdAsync(PortalHost portal)
    {
        return (await portal.DemoCourseAsync()).Id;
    }

    static async Task CreateBoardAsync(PortalHost portal, int seed)
    {
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        await instructor.CreateBoardAsync(await CourseIdAsync(portal), new LeaderboardSettings { Title = $"Board {seed}", Seed = seed });
    }

    [Fact]
    public async Task A_picture_computed_before_its_image_was_held_back_is_not_served_after()
    {
        using var portal = new Portal(_data);
        using var owner = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var run = await owner.StartRunAsync("pictures", PortalApi.TinyConfig(1));
        await owner.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded");
        var active = await portal.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
        // A test image the coming leaderboard (seed 31) will hold back; its pictures are computed while it is visible.
        var held = LeaderboardSplit.Choose(active.Catalog.Original.Images, 0.5, 31).All.First();
        var id = active.IdOf(active.IndexOf(held.RelativePath)!.Value);
        var set = JsonDocument.Parse(await (await owner.Http.PostAsync($"api/runs/{run}/activations/{id}", null)).Content.ReadAsStringAsync()).RootElement;
        var picture = set.GetProperty("gradCam").GetString()!.TrimStart('/');
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync(picture)).StatusCode);

        await CreateBoardAsync(portal, 31);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync(picture)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"api/runs/{run}/activations/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_held_back_file_the_trainer_leaves_out_is_not_named_in_what_the_run_says()
    {
        using var portal = new Portal(_data);
        await CreateBoardAsync(portal, 41);
        var active = await portal.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
        var held = LeaderboardSplit.Choose(active.Catalog.Original.Images, 0.5, 41).All.First();
        // The file goes missing after the import: the trainer leaves it out and says which file it left out.
        File.Delete(Path.Combine(_data, held.RelativePath));

        using var owner = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var said = new ConcurrentQueue<string>();
        await using var hub = portal.Hub(owner);
        hub.On("status", [typeof(JsonElement)], args => { said.Enqueue(((JsonElement)args[0]!).GetRawText()); return Task.CompletedTask; });
        await hub.StartAsync();
        // The message comes as the run starts: watch it before it can start. The portal's one worker is kept busy by
        // another run meanwhile (without it, a fast worker could start the run before WatchRun reached the hub).
        var blocker = await owner.StartRunAsync("keeps the worker busy", PortalApi.SlowConfig(epochs: 30));
        await owner.WaitForAsync(blocker, TimeSpan.FromMinutes(2), "Running");
        var run = await owner.StartRunAsync("leaves one out", PortalApi.TinyConfig(1) with
        {
            Architecture = PortalApi.TinyConfig().Architecture with { InputSize = 52 }, // a size no other test cached
        });
        await hub.InvokeAsync<JsonElement>("WatchRun", run);
        Assert.Equal("Queued", (await owner.GetRunAsync(run)).Status);
        Assert.True((await owner.Http.PostAsync($"api/runs/{blocker}/cancel", null)).IsSuccessStatusCode);
        var done = await owner.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded", "Failed");
        Assert.Equal("Succeeded", done.Status);
        Assert.Contains(said, m => m.Contains("left out a test image", StringComparison.Ordinal));
        Assert.DoesNotContain(said, m => m.Contains(held.RelativePath, StringComparison.Ordinal));
        Assert.DoesNotContain(Path.GetFileName(held.RelativePath), done.Message + done.Error);
    }

    [Fact]
    public async Task Results_of_a_run_on_an_older_data_set_come_from_a_catalog_read_once()
    {
        using var portal = new Portal(_data);
        await CreateBoardAsync(portal, 51);
        using var owner = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var run = await owner.StartRunAsync("on the first data set", PortalApi.TinyConfig(1));
        await owner.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded");
        static int TestRows(string csv) => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Split(',')[1] == "test");
        var before = TestRows(await owner.Http.GetStringAsync($"api/runs/{run}/download/predictions"));

        // Another data set becomes the default; the run's own is read once, then kept.
        using (var admin = await portal.SignInAsync(DemoSeeder.AdminEmail))
        {
            var zip = new ByteArrayContent(Dataset.DatasetTestData.KaggleZip(perFolder: 3));
            zip.Headers.ContentType = new("application/zip");
            var imported = await admin.Http.PostAsync("api/dataset/import?name=another", zip);
            Assert.True(imported.IsSuccessStatusCode);
            var id = (await imported.Content.ReadFromJsonAsync<DatasetImportResult>(PortalApi.Json))!.Id;
            (await admin.Http.PostAsync($"api/dataset/{id}/default", null)).EnsureSuccessStatusCode();
        }
        Assert.Equal(before, TestRows(await owner.Http.GetStringAsync($"api/runs/{run}/download/predictions")));
        // Its files can be gone now: nothing reads them again, and the held-back images stay out.
        Directory.Delete(_data, recursive: true);
        Assert.Equal(before, TestRows(await owner.Http.GetStringAsync($"api/runs/{run}/download/predictions")));
        Assert.True(before > 0);
    }
}
