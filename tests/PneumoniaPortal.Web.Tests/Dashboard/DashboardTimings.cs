using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Tests.Host;
using Xunit.Abstractions;

namespace PneumoniaPortal.Web.Tests.Dashboard;

/// <summary>
/// Times the class view (issue 17, target <= 1 s) for a class of 30 students with 300 finished runs on the full set,
/// each with made-up predictions for all 624 test images: the API and the page's render, the first time (every run's
/// predictions read) and again (kept). Skipped unless <c>PORTAL_TIMINGS=1</c> and the full set is present.
/// </summary>
public sealed class DashboardTimings(ITestOutputHelper output)
{
    sealed class FullSetHost(string dataDirectory) : PortalHost(new Dictionary<string, string?>
    {
        ["Dataset:Path"] = TestData.Root,
        ["Portal:DataDirectory"] = dataDirectory,
        ["Relabelling:HashOnStart"] = "false",
    });

    [TimingFact]
    public async Task Class_view_with_30_students_and_300_runs()
    {
        var data = TestData.NewTempDirectory("dashboard-timings");
        try
        {
            using var host = new FullSetHost(data);
            var dataset = await host.Services.GetRequiredService<DatasetService>().GetDefaultAsync();
            var courseId = await AddClassAsync(host, dataset, students: 30, runsEach: 10);
            var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);

            async Task<(double Ms, int Bytes)> TimeAsync(string url)
            {
                var watch = Stopwatch.StartNew();
                var response = await instructor.Http.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                watch.Stop();
                Assert.True(response.IsSuccessStatusCode, body);
                return (watch.Elapsed.TotalMilliseconds, body.Length);
            }

            var cold = await TimeAsync($"api/classes/{courseId}/dashboard");
            var apiWarm = new List<double>();
            for (var i = 0; i < 5; i++) apiWarm.Add((await TimeAsync($"api/classes/{courseId}/dashboard")).Ms);
            var pages = new List<(double Ms, int Bytes)>();
            for (var i = 0; i < 5; i++) pages.Add(await TimeAsync($"classes/{courseId}"));
            var csv = await TimeAsync($"api/classes/{courseId}/dashboard.csv");
            output.WriteLine($"{dataset.Catalog.Count} images; class of 30 students, 300 finished runs, {dataset.Catalog.Images.Count(i => i.Split == Split.Test)} test predictions each");
            output.WriteLine($"API first (every run's predictions read): {cold.Ms:F0} ms; then median {Median(apiWarm):F0} ms ({string.Join(", ", apiWarm.Select(m => m.ToString("F0", CultureInfo.InvariantCulture)))})");
            output.WriteLine($"page render (prerendered HTML, {pages[0].Bytes / 1024} KiB): median {Median(pages.Select(p => p.Ms).ToList()):F0} ms ({string.Join(", ", pages.Select(p => p.Ms.ToString("F0", CultureInfo.InvariantCulture)))})");
            output.WriteLine($"CSV export: {csv.Ms:F0} ms");
        }
        finally { Directory.Delete(data, recursive: true); }
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>A class taught by the demo instructor with this many students, each with finished runs of varied settings.</summary>
    static async Task<int> AddClassAsync(PortalHost host, LoadedDataset dataset, int students, int runsEach)
    {
        var paths = host.Services.GetRequiredService<PortalPaths>();
        await using var db = await host.NewDbAsync();
        var instructor = await db.Users.SingleAsync(u => u.Email == DemoSeeder.InstructorEmail);
        var course = new Course { Name = "Timing class", JoinCode = await CourseService.NewJoinCodeAsync(db), CreatedById = instructor.Id };
        course.Members.Add(new CourseMember { UserId = instructor.Id, Role = CourseRole.Instructor });
        db.Courses.Add(course);
        await db.SaveChangesAsync();

        var test = dataset.Catalog.Images.Where(i => i.Split == Split.Test).ToList();
        var labels = test.Select(i => i.Label == Label.Pneumonia ? 1 : 0).ToArray();
        var random = new Random(17);
        for (var s = 0; s < students; s++)
        {
            var user = new PortalUser { UserName = $"timing{s}@example.org", Email = $"timing{s}@example.org", DisplayName = $"Timing student {s}", LastSignInAt = DateTimeOffset.UtcNow };
            db.Users.Add(user);
            course.Members.Add(new CourseMember { UserId = user.Id, Role = CourseRole.Student });
            for (var n = 0; n < runsEach; n++)
            {
                var config = new RunConfig
                {
                    Architecture = ArchitecturePresets.CpuDefaultSpec with { InputSize = random.Next(2) == 0 ? 96 : 128 },
                    Training = new TrainingSettings
                    {
                        LearningRate = random.Next(2) == 0 ? 1e-3 : 3e-4, PerImageStandardization = random.Next(2) == 0,
                        Optimizer = random.Next(2) == 0 ? OptimizerKind.Adam : OptimizerKind.AdamW, Epochs = 8 + random.Next(5), Seed = random.Next(100),
                    },
                };
                var skill = 0.25 + random.NextDouble() * 0.2 + (config.Training.PerImageStandardization ? 0.05 : 0);
                var probabilities = labels.Select(l => (float)Math.Clamp(0.5 + (l == 1 ? skill : -skill) + (random.NextDouble() - 0.5) * 0.9, 0, 1)).ToArray();
                var evaluation = BinaryEvaluation.Compute(labels, probabilities, 0.5);
                var run = new TrainingRun
                {
                    OwnerId = user.Id, CourseId = course.Id, Name = $"run {s}-{n}", DatasetId = dataset.Id, Status = RunStatus.Succeeded,
                    ConfigJson = JsonSerializer.Serialize(config, RunFolder.Json), TestAuc = evaluation.Auc, TestAccuracy = evaluation.Accuracy,
                    BestValAuc = evaluation.Auc, FinishedAt = DateTimeOffset.UtcNow, QueuedAt = DateTimeOffset.UtcNow,
                };
                db.Runs.Add(run);
                await db.SaveChangesAsync();
                run.Folder = $"timing-{run.Id}";
                var folder = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder));
                Directory.CreateDirectory(folder.Path);
                folder.WriteRecord(new RunRecord
                {
                    Id = run.Folder, Config = config, Status = "Succeeded",
                    Test = new TestReport("test", evaluation, ClassificationReport.From(evaluation.ConfusionMatrix), [], [], 0,
                        new ThresholdChoice(0.5, ThresholdRule.Youden, "made up"), "best", "made up", false),
                });
                var csv = new StringBuilder("path,split,label,probability,predicted,correct\n");
                for (var i = 0; i < test.Count; i++)
                    csv.Append(CultureInfo.InvariantCulture, $"{test[i].RelativePath},test,{KaggleLayout.FolderName(test[i].Label)},{probabilities[i]:0.####},,\n");
                await File.WriteAllTextAsync(folder.Predictions, csv.ToString());
            }
        }
        await db.SaveChangesAsync();
        return course.Id;
    }
}
