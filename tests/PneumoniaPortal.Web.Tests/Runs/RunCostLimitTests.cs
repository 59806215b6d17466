using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Runs;

/// <summary>
/// A run is priced before it is queued and refused above Training:MaxMinutesPerRun and Training:MaxBatchMemoryMiB,
/// with the reason filed under the field that sets it; a run that still runs out of memory fails in words and the
/// worker lives on to train the next one.
/// </summary>
public sealed class RunCostLimitTests
{
    /// <summary>The issue's run: 8 blocks of 2,048 filters, 11x11 kernels, 6 convolutions, 512 px, batch 1024, 100 epochs.</summary>
    static RunConfig Absurd() => new()
    {
        Architecture = new ArchitectureSpec
        {
            Name = "absurd", InputSize = 512, Channels = 3,
            Blocks = Enumerable.Range(0, 8).Select(_ => new ConvBlockSpec(2048, Kernel: 11, Convs: 6)).ToArray(),
        },
        Training = new TrainingSettings { Epochs = 100, BatchSize = 1024 },
    };

    static async Task<(HttpStatusCode Status, string[] Problems)> StartAsync(SignedInClient client, string name, RunConfig config)
    {
        var response = await client.Http.PostAsJsonAsync("api/runs", new StartRunRequest(name, "custom", config), PortalApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        var problems = response.IsSuccessStatusCode ? [] : JsonDocument.Parse(body).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToArray();
        return (response.StatusCode, problems);
    }

    [Fact]
    public async Task The_issues_absurd_run_is_refused_for_its_time_and_its_memory_and_nothing_is_queued()
    {
        using var portal = new PortalHost();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var (status, problems) = await StartAsync(student, "absurd", Absurd());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problems, p => p.StartsWith("This run would take more than ten years on this server") && p.Contains("at most 120 min"));
        Assert.Contains(problems, p => p.StartsWith("One batch of 1024 images needs about") && p.Contains("this server allows 4,096 MiB"));
        await using var db = await portal.NewDbAsync();
        Assert.False(await db.Runs.AnyAsync());

        // The form's estimate says the same, under the fields that set it, before anyone presses Start.
        using var scope = portal.Services.CreateScope();
        var dataset = await portal.DefaultDatasetAsync();
        var check = await scope.ServiceProvider.GetRequiredService<RunCostEstimator>().CheckAsync(Absurd(), dataset);
        Assert.Equal(["Training.Epochs", "Training.BatchSize"], check.Problems.Select(p => p.Field));
        var preset = await scope.ServiceProvider.GetRequiredService<RunCostEstimator>().CheckAsync(RunPresets.Get(ArchitecturePresets.CpuDefault), dataset);
        Assert.True(preset.WithinLimits, string.Join(" ", preset.Problems.Select(p => p.Message)));
    }

    sealed class ShortRunsPortal() : PortalHost(new Dictionary<string, string?> { ["Training:MaxMinutesPerRun"] = "0.001", ["Training:MaxBatchMemoryMiB"] = "2" });

    [Fact]
    public async Task The_limits_are_the_servers_settings()
    {
        using var portal = new ShortRunsPortal();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var (status, problems) = await StartAsync(student, "tiny but over", PortalApi.TinyConfig(epochs: 50));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problems, p => p.Contains("runs here may take at most 0 min"));
        Assert.Contains(problems, p => p.Contains("this server allows 2 MiB"));
    }

    // 120 min x 0.0005: a run may train for 3.6 s in one go.
    sealed class ShortTrainingPortal() : PortalHost(new Dictionary<string, string?> { ["Training:MaxRunTimeFactor"] = "0.0005" });

    [Fact]
    public async Task A_run_that_trains_far_longer_than_it_was_priced_is_stopped_and_keeps_its_finished_epochs()
    {
        using var portal = new ShortTrainingPortal();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var id = await student.StartRunAsync("longer than priced", PortalApi.SlowConfig(epochs: 50));
        var run = await student.WaitForAsync(id, TimeSpan.FromMinutes(2), "Failed", "Succeeded", "Interrupted");
        Assert.Equal("Failed", run.Status);
        Assert.Equal("Training stopped after 0.06 min, the longest one run may train here in one go; its finished epochs are kept.", run.Message);
        Assert.Contains("Resume it to go on from its last finished epoch", run.Error);
        Assert.True(run.EpochsDone < 50);
    }

    sealed class NoMemoryLimitPortal() : PortalHost(new Dictionary<string, string?>
    {
        ["Training:MaxMinutesPerRun"] = "1000000000", ["Training:MaxBatchMemoryMiB"] = "1000000000000",
    });

    [Fact]
    public async Task A_run_that_runs_out_of_memory_fails_in_words_and_the_worker_trains_the_next_run()
    {
        using var portal = new NoMemoryLimitPortal();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        // Let through by the limits, its first layer's output is hundreds of GB: the allocation fails at once.
        var greedy = new RunConfig
        {
            Architecture = new ArchitectureSpec { Name = "greedy", InputSize = 512, Channels = 1, Blocks = [new ConvBlockSpec(2048, Downsample: false)] },
            Training = new TrainingSettings { Epochs = 1, BatchSize = 1024, EarlyStoppingPatience = 0 },
        };
        var (status, problems) = await StartAsync(student, "greedy", greedy);
        Assert.True(status == HttpStatusCode.Created, string.Join(" ", problems));
        int greedyId;
        await using (var db = await portal.NewDbAsync())
            greedyId = await db.Runs.Where(r => r.Name == "greedy").Select(r => r.Id).SingleAsync();
        var failed = await student.WaitForAsync(greedyId, TimeSpan.FromMinutes(3), "Failed", "Succeeded");
        Assert.Equal("Failed", failed.Status);
        Assert.Contains("needed more memory than the worker has", failed.Message);
        Assert.Contains("The run ran out of memory (one allocation asked for", failed.Error);

        var next = await student.StartRunAsync("after the greedy one", PortalApi.TinyConfig(epochs: 1));
        Assert.Equal("Succeeded", (await student.WaitForAsync(next, TimeSpan.FromMinutes(3), "Succeeded", "Failed")).Status);
    }
}
