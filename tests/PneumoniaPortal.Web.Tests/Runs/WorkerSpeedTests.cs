using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Runs;

/// <summary>A training worker measures its speed when it starts and corrects it with every epoch it trains.</summary>
public sealed class WorkerSpeedTests
{
    sealed class CalibratingPortal() : PortalHost(new Dictionary<string, string?> { ["Training:Calibrate"] = "true" });

    [Fact]
    public async Task A_worker_writes_the_speed_it_measured_and_its_epochs_correct_it()
    {
        using var portal = new CalibratingPortal();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var factory = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        WorkerSpeed? measured = null;
        for (var wait = 0; wait < 600 && measured is null; wait++)
        {
            await using var db = await factory.CreateDbContextAsync();
            measured = await db.WorkerSpeeds.AsNoTracking().FirstOrDefaultAsync(w => w.Queue == "cpu");
            if (measured is null) await Task.Delay(100);
        }
        Assert.NotNull(measured);
        Assert.Equal("cpu", measured.Device);
        // Sane for any CPU from a laptop to a server: between 1 and 10,000 GMAC/s.
        Assert.InRange(1e-9 / measured.SecondsPerMac, 1, 10_000);
        Assert.Equal(ComputeSpeed.Reference.Correction, measured.Correction);

        var run = await student.StartRunAsync("teaches the speed", PortalApi.TinyConfig(epochs: 2));
        await student.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded");
        await using var after = await factory.CreateDbContextAsync();
        var corrected = await after.WorkerSpeeds.AsNoTracking().SingleAsync(w => w.Queue == "cpu");
        Assert.NotEqual(measured.Correction, corrected.Correction);
        Assert.True(corrected.MeasuredAt > measured.MeasuredAt);
        Assert.Equal(measured.SecondsPerMac, corrected.SecondsPerMac);
    }
}
