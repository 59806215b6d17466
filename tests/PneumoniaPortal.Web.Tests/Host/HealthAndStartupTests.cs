using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace PneumoniaPortal.Web.Tests.Host;

public sealed class HealthAndStartupTests
{
    [Fact]
    public async Task Health_tells_anyone_whether_the_portal_is_healthy_and_only_admins_what_was_checked()
    {
        using var portal = new PortalHost();
        using var anonymous = portal.NewClient();
        var response = await anonymous.Http.GetAsync("health");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        // Anonymous callers learn nothing about the server: no folders, no data set, no counts.
        Assert.Equal("""{"status":"Healthy"}""", body);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("health/live")).StatusCode);
        using var student = await portal.SignInAsync(Data.DemoSeeder.StudentEmail);
        Assert.Equal("""{"status":"Healthy"}""", await student.Http.GetStringAsync("health"));

        using var admin = await portal.SignInAsync(Data.DemoSeeder.AdminEmail);
        using var json = JsonDocument.Parse(await admin.Http.GetStringAsync("health"));
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal(["data-folder", "database", "dataset", "job-queue"], checks.Keys.Order());
        Assert.All(checks.Values, s => Assert.Equal("Healthy", s));
        Assert.Contains("820 images", json.RootElement.ToString());
    }

    /// <summary>Starts the real portal binary as a person would, with one setting wrong.</summary>
    static async Task<(int ExitCode, string Errors)> StartPortalAsync(params (string Name, string Value)[] environment)
    {
        var bin = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet", ["exec", "--runtimeconfig", Path.Combine(bin, "PneumoniaPortal.Web.runtimeconfig.json"),
            "--depsfile", Path.Combine(bin, "PneumoniaPortal.Web.deps.json"), Path.Combine(bin, "PneumoniaPortal.Web.dll")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = bin,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Seed__DemoPassword"] = PortalHost.Password;
        start.Environment["Seed__ExampleRun"] = "false";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The portal kept running although its settings are unusable.");
        }
        return (process.ExitCode, await errors);
    }

    [Fact]
    public async Task An_unwritable_data_folder_stops_the_start_with_a_clear_message()
    {
        var (exit, errors) = await StartPortalAsync(("Portal__DataDirectory", "/proc/portal-cannot-live-here"));
        Assert.Equal(2, exit);
        Assert.Contains("PneumoniaPortal cannot start: The data folder /proc/portal-cannot-live-here cannot be written", errors);
        Assert.Contains("Portal__DataDirectory", errors);
    }

    [Fact]
    public async Task A_missing_data_set_stops_the_start_with_a_clear_message()
    {
        var (exit, errors) = await StartWithNewDataFolderAsync(("Dataset__Path", "/nonexistent/chest_xray"));
        Assert.Equal(2, exit);
        Assert.Contains("PneumoniaPortal cannot start: The data set cannot be loaded", errors);
        Assert.Contains("Dataset__Path", errors);
    }

    [Fact]
    public async Task An_impossible_training_priority_stops_the_start_with_a_clear_message()
    {
        var (exit, errors) = await StartWithNewDataFolderAsync(("Training__Nice", "40"));
        Assert.Equal(2, exit);
        Assert.Contains("PneumoniaPortal cannot start: Training:Nice is the training threads' Linux nice value, from 0 (normal priority) to 19 (lowest); it is 40.", errors);
    }

    [Theory]
    [InlineData("Training__Nice", "abc", "Failed to convert configuration value")]
    [InlineData("RateLimits__AddressFactor", "0", "RateLimits:AddressFactor must be between 1 and 1,000,000; it is 0.")]
    [InlineData("Portal__Database", "oracle", "Portal:Database must be sqlite (one machine) or postgres (several); got 'oracle'.")]
    [InlineData("Training__Storage", "postgres", "Training:Storage is postgres but ConnectionStrings:Hangfire (environment ConnectionStrings__Hangfire) is not set.")]
    public async Task A_setting_of_the_wrong_kind_or_missing_its_partner_stops_the_start_in_words(string name, string value, string says)
    {
        var (exit, errors) = await StartWithNewDataFolderAsync((name, value));
        Assert.Equal(2, exit);
        Assert.Contains("PneumoniaPortal cannot start: " + says, errors);
        Assert.DoesNotContain("   at ", errors);
    }

    [Fact]
    public async Task A_demo_password_that_breaks_the_password_rules_stops_the_start_with_a_clear_message()
    {
        // The README's Docker example once used this one; the container died with a stack trace.
        var (exit, errors) = await StartWithNewDataFolderAsync(("Seed__DemoPassword", "change-me"));
        Assert.Equal(2, exit);
        Assert.Contains("PneumoniaPortal cannot start: Seed:DemoPassword (environment Seed__DemoPassword) does not meet the password rules", errors);
        Assert.Contains("at least one digit", errors);
        Assert.DoesNotContain("   at ", errors);
    }

    static async Task<(int ExitCode, string Errors)> StartWithNewDataFolderAsync(params (string Name, string Value)[] environment)
    {
        var data = Path.Combine(Path.GetTempPath(), "portal-startup-" + Guid.NewGuid().ToString("N")[..8]);
        try { return await StartPortalAsync([("Portal__DataDirectory", data), .. environment]); }
        finally { try { Directory.Delete(data, true); } catch (IOException) { } }
    }
}
