using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training;
using PneumoniaPortal.Training.Native;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Results;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Results;

/// <summary>One portal with one tiny finished run, shared by the download tests (training it is the slow part).</summary>
public sealed class FinishedRunFixture : IAsyncLifetime
{
    public PortalHost Host { get; } = new();
    public SignedInClient Owner { get; private set; } = default!;
    public SignedInClient Other { get; private set; } = default!;
    public int RunId { get; private set; }

    public async Task InitializeAsync()
    {
        Owner = Host.NewClient();
        await SignInTests.RegisterAsync(Owner, $"o-{Guid.NewGuid():N}"[..12] + "@example.org", await Host.OutsiderJoinCodeAsync());
        Other = Host.NewClient();
        await SignInTests.RegisterAsync(Other, $"x-{Guid.NewGuid():N}"[..12] + "@example.org", await Host.OutsiderJoinCodeAsync());
        RunId = await Owner.StartRunAsync("Results tiny");
        var done = await Owner.WaitForAsync(RunId, TimeSpan.FromMinutes(4), "Succeeded", "Failed");
        Assert.True(done.Status == "Succeeded", done.Error);
    }

    public Task DisposeAsync()
    {
        Owner.Dispose();
        Other.Dispose();
        Host.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class RunResultsDownloadTests(FinishedRunFixture run) : IClassFixture<FinishedRunFixture>
{
    static readonly string[] Downloads = ["checkpoint", "predictions", "settings", "figures"];

    async Task<(byte[] Body, string? FileName)> GetAsync(SignedInClient client, string what)
    {
        var response = await client.Http.GetAsync($"api/runs/{run.RunId}/download/{what}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task Results_owner_downloads_a_checkpoint_that_loads_with_the_downloaded_settings_and_the_predictions_csv()
    {
        var (settingsJson, settingsName) = await GetAsync(run.Owner, "settings");
        Assert.Equal($"run-{run.RunId}-results-tiny-settings.json", settingsName);
        var config = JsonSerializer.Deserialize<RunConfig>(settingsJson, RunFolder.Json)!;
        Assert.Equal(PortalApi.TinyConfig().Architecture.Blocks, config.Architecture.Blocks);

        var (checkpoint, checkpointName) = await GetAsync(run.Owner, "checkpoint");
        Assert.NotEmpty(checkpoint);
        Assert.Matches($@"^run-{run.RunId}-results-tiny-(epoch-\d{{3}}|last)\.pt$", checkpointName);
        var file = Path.Combine(run.Host.DataDirectory, $"downloaded-{Guid.NewGuid():N}.pt");
        await File.WriteAllBytesAsync(file, checkpoint);
        TorchRuntime.EnsureReady();
        using (var net = Evaluator.LoadNet(config.Architecture, file, TorchSharp.torch.CPU))
            Assert.True(net.parameters().Any());

        var (csv, csvName) = await GetAsync(run.Owner, "predictions");
        Assert.Equal($"run-{run.RunId}-results-tiny-predictions.csv", csvName);
        var lines = System.Text.Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,split,label,probability,predicted,correct", lines[0]);
        Assert.Contains(lines, l => l.Split(',')[1] == "test");
        Assert.Contains(lines, l => l.Split(',')[1] == "val");
    }

    [Fact]
    public async Task Results_tab_of_a_finished_run_shows_its_test_metrics_matrix_report_and_downloads_on_the_page()
    {
        var page = await run.Owner.Http.GetStringAsync($"runs/{run.RunId}");
        foreach (var id in new[] { "results-metrics", "results-provenance", "threshold-slider", "confusion-matrix", "classification-report", "roc-chart", "pr-chart", "misclassified", "download-checkpoint", "run-settings" })
            Assert.Contains($"data-testid=\"{id}\"", page);
        Assert.DoesNotContain("data-testid=\"held-out\"", page);
    }

    [Fact]
    public async Task Results_downloads_of_a_private_run_are_404_for_another_student()
    {
        foreach (var what in Downloads)
        {
            var response = await run.Other.Http.GetAsync($"api/runs/{run.RunId}/download/{what}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("not yours to see", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Results_figures_download_gives_each_test_figure_with_its_95_percent_interval_and_the_calibration()
    {
        var (body, name) = await GetAsync(run.Owner, "figures");
        Assert.Equal($"run-{run.RunId}-results-tiny-figures.csv", name);
        var rows = System.Text.Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal(["figure", "estimate", "lower_95", "upper_95"], rows[0]);
        double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var figure in new[] { "accuracy", "auc", "sensitivity", "specificity", "precision", "f1" })
        {
            var row = Assert.Single(rows, r => r[0] == figure);
            Assert.InRange(Number(row[1]), Number(row[2]), Number(row[3]));
        }
        Assert.InRange(Number(Assert.Single(rows, r => r[0] == "brier_score")[1]), 0, 1);
        Assert.Equal("2000", Assert.Single(rows, r => r[0] == "bootstrap_resamples")[1]);
    }

    [Fact]
    public async Task Results_predictions_download_leaves_out_every_test_image_a_leaderboard_holds_back()
    {
        var active = await run.Host.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
        var board = new Leaderboard { Title = "Results test board", DatasetId = active.Id, HeldOutFraction = 0.5, Seed = 11, CreatedById = "test" };
        var halves = LeaderboardSplit.Choose(active.Catalog.Images, board.HeldOutFraction, board.Seed);
        board.HeldBack.AddRange(PneumoniaPortal.Web.Leaderboards.HeldOutImages.Rows(halves));
        var held = halves.All.Select(i => i.RelativePath).ToHashSet();
        Assert.NotEmpty(held);

        static HashSet<string> TestPaths(byte[] csv) => System.Text.Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(l => l.Split(',')).Where(f => f[1] == "test").Select(f => f[0]).ToHashSet();
        var before = TestPaths((await GetAsync(run.Owner, "predictions")).Body);
        Assert.True(before.Overlaps(held), "before the leaderboard exists the run's predictions include those images");

        var dbFactory = run.Host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            board.CourseId = await db.Courses.Where(c => c.Name == DemoSeeder.DemoCourseName).Select(c => c.Id).SingleAsync();
            db.Leaderboards.Add(board);
            await db.SaveChangesAsync();
        }
        try
        {
            var after = TestPaths((await GetAsync(run.Owner, "predictions")).Body);
            Assert.Empty(after.Intersect(held));
            Assert.Equal(before.Except(held).Order(), after.Order());
            // The figures and their intervals come from the same visible images only.
            var figures = System.Text.Encoding.UTF8.GetString((await GetAsync(run.Owner, "figures")).Body);
            Assert.Contains($"test_images,{after.Count},,", figures);
        }
        finally
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.Leaderboards.Where(l => l.Id == board.Id).ExecuteDeleteAsync();
        }
    }
}

public sealed class RunResultsCheckpointZipTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("results-zip-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Results_checkpoint_download_of_an_averaged_run_is_a_zip_of_every_averaged_checkpoint()
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, "epoch-004.pt"), [1, 2, 3]);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "epoch-002.pt"), [4, 5]);
        var results = ResultsTestData.Run();
        results = new RunResults
        {
            Run = results.Run, OwnerName = results.OwnerName, Test = results.Test, Threshold = results.Threshold, HeldOut = 0, FolderPath = _folder,
            Record = results.Record with { Test = results.Record.Test! with { Checkpoint = "epoch-004.pt, epoch-002.pt" } },
        };

        var download = RunDownloads.Checkpoint(results)!;
        Assert.Equal("run-42-hand-made-checkpoints.zip", download.FileName);
        using var buffer = new MemoryStream();
        await download.WriteAsync(buffer, CancellationToken.None);
        buffer.Position = 0;
        using var zip = new ZipArchive(buffer);
        Assert.Equal(["README.txt", "epoch-002.pt", "epoch-004.pt"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(3, zip.GetEntry("epoch-004.pt")!.Length);
    }

    [Fact]
    public void Results_checkpoint_download_refuses_a_name_that_leaves_the_run_folder()
    {
        var results = ResultsTestData.Run();
        results = new RunResults
        {
            Run = results.Run, OwnerName = results.OwnerName, Test = results.Test, Threshold = results.Threshold, HeldOut = 0, FolderPath = _folder,
            Record = results.Record with { Test = results.Record.Test! with { Checkpoint = "../secrets.pt" } },
        };
        Assert.Null(RunDownloads.Checkpoint(results));
    }
}
