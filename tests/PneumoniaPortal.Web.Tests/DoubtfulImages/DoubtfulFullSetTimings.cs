using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.DoubtfulImages;
using PneumoniaPortal.Web.Tests.Host;
using Xunit.Abstractions;

namespace PneumoniaPortal.Web.Tests.DoubtfulImages;

/// <summary>
/// Times <see cref="DoubtfulQueueService.RankAsync"/> on the full 5,840-image set with 20 finished runs' predictions:
/// cold (hashing every image), after a restart (hashes from the disk cache), after a run finished (re-rank) and warm.
/// Skipped unless <c>PORTAL_TIMINGS=1</c> and the full set is present (it loads the set and hashes it: seconds).
/// </summary>
public sealed class DoubtfulFullSetTimings(ITestOutputHelper output)
{
    sealed class FullSetHost(string dataDirectory) : PortalHost(new Dictionary<string, string?>
    {
        ["Dataset:Path"] = TestData.Root,
        ["Portal:DataDirectory"] = dataDirectory,
        ["Relabelling:HashOnStart"] = "false",
    });

    [TimingFact]
    public async Task Doubtful_rank_timings_on_the_full_set()
    {
        var data = TestData.NewTempDirectory("doubtful-timings");
        try
        {
            using (var host = new FullSetHost(data))
            {
                var active = await host.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
                await AddFinishedRunsAsync(host, active, 20);
                var cold = await TimeAsync(host);
                var warm = await TimeAsync(host);
                var warm2 = await TimeAsync(host);
                await AddFinishedRunsAsync(host, active, 1);
                var afterRun = await TimeAsync(host);
                var queue = await host.WithQueue(q => q.QueueAsync());
                output.WriteLine($"{active.Catalog.Count} images, {queue.FinishedRuns} runs, {queue.Entries.Count} doubtful, {queue.NearDuplicateGroups} near-duplicate groups");
                output.WriteLine($"cold (hash + rank): {cold:F0} ms; warm: {warm:F1} ms, {warm2:F1} ms; after a run finished (re-rank): {afterRun:F0} ms");
            }
            using (var restarted = new FullSetHost(data))
            {
                await restarted.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
                var fromDisk = await TimeAsync(restarted);
                output.WriteLine($"after a restart (hashes from disk + rank): {fromDisk:F0} ms; images hashed: {restarted.Services.GetRequiredService<NearDuplicateIndex>().ImagesHashed}");
            }
        }
        finally { Directory.Delete(data, recursive: true); }
    }

    static async Task<double> TimeAsync(PortalHost host)
    {
        var watch = Stopwatch.StartNew();
        await host.WithQueue(q => q.RankAsync());
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Finished runs with made-up probabilities for every test image and a tenth of train (as validation).</summary>
    static async Task AddFinishedRunsAsync(PortalHost host, LoadedDataset active, int count)
    {
        var paths = host.Services.GetRequiredService<PortalPaths>();
        await using var db = await host.NewDbAsync();
        var owner = await db.Users.FirstAsync(u => u.Email == DemoSeeder.StudentEmail);
        var random = new Random(count);
        for (var n = 0; n < count; n++)
        {
            var run = new TrainingRun { OwnerId = owner.Id, Name = $"timing {n}", DatasetId = active.Id, Status = RunStatus.Succeeded, ConfigJson = "{}" };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            run.Folder = $"timing-{run.Id}";
            var folder = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder));
            Directory.CreateDirectory(folder.Path);
            var csv = new StringBuilder("path,split,label,probability,predicted,correct\n");
            foreach (var (image, i) in active.Catalog.Images.Select((image, i) => (image, i)).Where(x => x.image.Split == Split.Test || x.i % 10 == n % 10))
            {
                var p = Math.Clamp((image.Label == Label.Pneumonia ? 0.8 : 0.2) + (random.NextDouble() - 0.5) * 0.9, 0, 1);
                csv.Append(CultureInfo.InvariantCulture, $"{image.RelativePath},{(image.Split == Split.Test ? "test" : "val")},{KaggleLayout.FolderName(image.Label)},{p:0.####},,\n");
            }
            await File.WriteAllTextAsync(folder.Predictions, csv.ToString());
        }
        await db.SaveChangesAsync();
    }
}

static class QueueHostExtensions
{
    public static async Task<T> WithQueue<T>(this PortalHost host, Func<DoubtfulQueueService, Task<T>> use)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<DoubtfulQueueService>());
    }
}
