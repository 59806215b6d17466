using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace PneumoniaPortal.E2E.Tests.Host;

/// <summary>
/// The real portal, in this test process, on a real Kestrel port a browser can reach, with its own SQLite file and
/// data folder (deleted afterwards), seeded with the demo accounts (fixed password) and the sample data set.
/// Adapted from the host tests' PortalHost; adds a count of the Blazor circuits it serves.
/// </summary>
public sealed class PortalServer : WebApplicationFactory<Program>
{
    public const string Password = "Test-pass-2026";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "portal-e2e-" + Guid.NewGuid().ToString("N")[..10]);
    public CircuitCount Circuits { get; } = new();

    public PortalServer() => UseKestrel(0);

    /// <summary>A data set to load instead of the shipped sample (Dataset:Path).</summary>
    public string? DatasetPath { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("Seed:DemoPassword", Password);
        builder.UseSetting("Seed:ExampleRun", "false");
        // Estimates from the reference speed: the browser tests' portals do not spend seconds measuring the machine.
        builder.UseSetting("Training:Calibrate", "false");
        if (DatasetPath is not null) builder.UseSetting("Dataset:Path", DatasetPath);
        // Outside Development the build's static web assets (blazor.web.js, MudBlazor's files) are not mapped by default.
        builder.UseStaticWebAssets();
        // Logs from 50 browser tabs would bury the test output; warnings and errors still show.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton(Circuits);
            s.AddScoped<CircuitHandler, CountingCircuitHandler>();
        });
    }

    /// <summary>The base address Kestrel listens on (starts the server on first use).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        }
    }

    /// <summary>The demo class's join code, as its instructor reads it on the classes page.</summary>
    public async Task<string> DemoJoinCodeAsync()
    {
        var dbFactory = Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Web.Data.PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Courses.Where(c => c.Name == Web.Data.DemoSeeder.DemoCourseName).Select(c => c.JoinCode));
    }

    protected override void Dispose(bool disposing)
    {
        // A portal of a test that goes away with a run still training: Hangfire's server stops waiting for the job
        // when the host's shutdown times out, and says so by cancelling. The portal is gone either way.
        try { base.Dispose(disposing); }
        catch (OperationCanceledException) { }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.All(x => x is OperationCanceledException)) { }
        if (disposing)
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>How many Blazor circuits the portal has opened and how many have a live browser connection now.</summary>
public sealed class CircuitCount
{
    int _opened, _connected;
    public int Opened => Volatile.Read(ref _opened);
    public int Connected => Volatile.Read(ref _connected);
    internal void Open() => Interlocked.Increment(ref _opened);
    internal void Up() => Interlocked.Increment(ref _connected);
    internal void Down() => Interlocked.Decrement(ref _connected);
}

sealed class CountingCircuitHandler(CircuitCount count) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken ct) { count.Open(); return Task.CompletedTask; }
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken ct) { count.Up(); return Task.CompletedTask; }
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken ct) { count.Down(); return Task.CompletedTask; }
}
