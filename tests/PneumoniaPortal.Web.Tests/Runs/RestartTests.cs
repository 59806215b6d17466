using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Runs;

public sealed class RestartTests
{
    /// <summary>A portal on a given data folder, so a second one can start where the first stopped.</summary>
    sealed class HostOn(string dataDirectory) : PortalHost(new Dictionary<string, string?> { ["Portal:DataDirectory"] = dataDirectory });

    [Fact]
    public async Task Server_restart_keeps_every_finished_epoch_and_the_cut_off_run_resumes_as_Interrupted()
    {
        var data = Path.Combine(Path.GetTempPath(), "portal-restart-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            int id;
            int epochsBefore;
            using (var first = new HostOn(data))
            {
                using var student = await first.SignInAsync(Data.DemoSeeder.StudentEmail);
                // Big enough that the restart lands mid-run (the decoded images are cached, so tiny runs end in a second).
                id = await student.StartRunAsync("cut off by a restart", PortalApi.SlowConfig());
                var until = DateTime.UtcNow.AddMinutes(2);
                while ((await student.GetRunAsync(id)).EpochsDone < 2 && DateTime.UtcNow < until) await Task.Delay(50);
                epochsBefore = (await student.GetRunAsync(id)).EpochsDone;
                Assert.InRange(epochsBefore, 2, 29);
            } // the server stops while the run trains

            using var second = new HostOn(data);
            using var again = await second.SignInAsync(Data.DemoSeeder.StudentEmail);
            var interrupted = await again.GetRunAsync(id);
            Assert.Equal("Interrupted", interrupted.Status);
            Assert.True(interrupted.History.Count >= epochsBefore, $"{interrupted.History.Count} epochs stored, {epochsBefore} seen before the restart");
            Assert.Equal(Enumerable.Range(1, interrupted.History.Count), interrupted.History.Select(e => e.Epoch));

            var resumed = await again.Http.PostAsync($"api/runs/{id}/resume", null);
            Assert.True(resumed.IsSuccessStatusCode, await resumed.Content.ReadAsStringAsync());
            RunView done;
            try { done = await again.WaitForAsync(id, TimeSpan.FromMinutes(3), "Succeeded", "Failed"); }
            catch (TimeoutException e)
            {
                var monitor = second.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
                throw new TimeoutException($"{e.Message} Hangfire: servers [{string.Join(", ", monitor.Servers().Select(s => s.Name + ":" + string.Join("/", s.Queues)))}], " +
                    $"enqueued cpu {monitor.EnqueuedCount("cpu")}, processing {monitor.ProcessingCount()}, failed [{string.Join(" | ", monitor.FailedJobs(0, 5).Select(f => f.Value.ExceptionMessage))}]");
            }
            Assert.True(done.Status == "Succeeded", done.Error);
            Assert.Equal(Enumerable.Range(1, 30), done.History.Select(e => e.Epoch));
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
