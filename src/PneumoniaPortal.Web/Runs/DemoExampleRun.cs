using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// The demo student's example run (issue 18): on the first start of a portal (when the demo accounts are made), one
/// run of the <c>cpu-default</c> preset on the shipped sample, queued as the demo student through the same
/// <see cref="IRunLauncher"/> as the set-up form (so every check and limit applies), unless <c>Seed:ExampleRun</c> is off.
/// </summary>
public sealed class DemoExampleRun(IServiceScopeFactory scopes, IOptions<SeedOptions> seed, ILogger<DemoExampleRun> log)
{
    public const string Name = "Example: cpu-default on the sample";

    public async Task QueueAsync(CancellationToken ct = default)
    {
        if (!seed.Value.ExampleRun) return;
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            // Sized for the sample: on a portal started on another data set (the full one) it would hold the worker for long.
            if (!await scope.ServiceProvider.GetRequiredService<Dataset.DatasetService>().DefaultIsSampleAsync(ct))
            {
                log.LogInformation("No example run: the portal starts on its own data set, not the shipped sample");
                return;
            }
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            if (await users.FindByEmailAsync(DemoSeeder.StudentEmail) is not { } student) return;
            var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>().CreateUserPrincipalAsync(student);
            scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAs(principal);
            var started = await scope.ServiceProvider.GetRequiredService<IRunLauncher>()
                .StartAsync(new StartRunRequest(Name, ArchitecturePresets.CpuDefault, RunPresets.Get(ArchitecturePresets.CpuDefault)), ct);
            log.LogInformation("Queued the demo student's example run {Run}", started.Id);
            Console.WriteLine($"  The demo student's example run ({Name}, run {started.Id}) trains now, in about 1.5 minutes on two cores.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A portal whose limits refuse the preset (or that cannot queue now) still starts; the demo student starts a run of their own.
            log.LogWarning("The demo student's example run was not queued: {Reason}", e.Message);
        }
    }
}
