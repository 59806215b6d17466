using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Runs;

/// <summary>Issue 18: a new portal's demo student finds an example run of the cpu-default preset training, once.</summary>
public sealed class DemoExampleRunTests
{
    /// <summary>A portal on a given data folder with the example run on, as a fresh clone starts.</summary>
    sealed class FirstStart(string dataDirectory) : PortalHost(new Dictionary<string, string?>
    {
        ["Portal:DataDirectory"] = dataDirectory,
        ["Seed:ExampleRun"] = "true",
    });

    [Fact]
    public async Task The_first_start_queues_one_cpu_default_run_for_the_demo_student_in_the_demo_class_and_a_restart_no_other()
    {
        var data = Path.Combine(Path.GetTempPath(), "portal-example-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            int id;
            using (var first = new FirstStart(data))
            {
                using var student = await first.SignInAsync(DemoSeeder.StudentEmail);
                await using (var db = await first.NewDbAsync())
                {
                    var run = await db.Runs.AsNoTracking().Include(r => r.Owner).Include(r => r.Course).SingleAsync();
                    id = run.Id;
                    Assert.Equal((DemoExampleRun.Name, ArchitecturePresets.CpuDefault, DemoSeeder.StudentEmail, DemoSeeder.DemoCourseName),
                        (run.Name, run.Preset, run.Owner!.Email, run.Course!.Name));
                    // The preset exactly as the set-up form offers it, on the shipped sample.
                    Assert.Equal(JsonSerializer.Serialize(RunPresets.Get(ArchitecturePresets.CpuDefault), RunFolder.Json), run.ConfigJson);
                    Assert.Equal((await first.DefaultDatasetAsync()).Id, run.DatasetId);
                }
                // The student sees it in My runs, training or waiting its turn; cancelled here, so the tests' machine stays free.
                var mine = await student.GetRunAsync(id);
                Assert.Contains(mine.Status, new[] { "Queued", "Running" });
                Assert.True((await student.Http.PostAsync($"api/runs/{id}/cancel", null)).IsSuccessStatusCode);
                await student.WaitForAsync(id, TimeSpan.FromMinutes(1), "Cancelled");
            }

            // A restart on the same data seeds nothing, so queues no second example.
            using var second = new FirstStart(data);
            using var again = await second.SignInAsync(DemoSeeder.StudentEmail);
            await using var db2 = await second.NewDbAsync();
            Assert.Equal([id], await db2.Runs.Select(r => r.Id).ToListAsync());
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
