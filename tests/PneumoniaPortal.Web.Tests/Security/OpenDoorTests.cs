using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>
/// Who may come in, and how often: registration needs a class's join code (unless an admin opens it) and never says
/// which codes exist; sign-in failures, registrations, join codes, run starts and predictions are limited per person
/// and per address, and a refused action does nothing.
/// </summary>
public sealed class OpenDoorTests
{
    sealed class TightPortal() : PortalHost(new Dictionary<string, string?>
    {
        ["RateLimits:SignInFailuresPerAddress"] = "3",
        ["RateLimits:RegistrationsPerAddress"] = "3",
        ["RateLimits:JoinAttemptsPerUser"] = "2",
        ["RateLimits:RunStartsPerUser"] = "1",
        ["RateLimits:PredictionsPerUser"] = "1",
    });

    sealed class OpenPortal() : PortalHost(new Dictionary<string, string?> { ["Registration:RequireJoinCode"] = "false" });

    static async Task<(HttpStatusCode Status, string Page)> RegisterAsync(PortalHost host, string email, string code, string password = PortalHost.Password)
    {
        using var client = host.NewClient();
        var form = await client.Http.GetStringAsync("Account/Register");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.Http.PostAsync("Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register", ["__RequestVerificationToken"] = token,
            ["Input.DisplayName"] = "New student", ["Input.Email"] = email, ["Input.Password"] = password, ["Input.JoinCode"] = code,
        }));
        return (response.StatusCode, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    static async Task<bool> ExistsAsync(PortalHost host, string email)
    {
        await using var db = await host.NewDbAsync();
        return await db.Users.AnyAsync(u => u.Email == email);
    }

    static async Task<string> DemoCodeAsync(PortalHost host)
    {
        return (await host.DemoCourseAsync()).JoinCode!;
    }

    /// <summary>The error alerts of the register page, as text.</summary>
    static string Errors(string page) =>
        string.Join(" | ", Regex.Matches(page, "data-testid=\"register-error\".*?class=\"mud-alert-message\"[^>]*>(.*?)</div>", RegexOptions.Singleline)
            .Select(m => Regex.Replace(m.Groups[1].Value, "<[^>]+>", "").Trim()));

    [Fact]
    public async Task Registration_needs_a_join_code_by_default_and_an_unknown_code_creates_nothing()
    {
        using var portal = new PortalHost();
        var (status, page) = await RegisterAsync(portal, "no-code@example.org", "");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Enter the join code of your class", Errors(page));
        (status, page) = await RegisterAsync(portal, "bad-code@example.org", "ZZZZZ9");
        Assert.Contains("That join code was not accepted", Errors(page));
        Assert.DoesNotContain("ZZZZZ9", Errors(page));
        Assert.False(await ExistsAsync(portal, "no-code@example.org"));
        Assert.False(await ExistsAsync(portal, "bad-code@example.org"));

        (status, _) = await RegisterAsync(portal, "good-code@example.org", await DemoCodeAsync(portal));
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.True(await ExistsAsync(portal, "good-code@example.org"));
    }

    [Fact]
    public async Task The_register_page_answers_the_same_for_a_real_and_a_made_up_code_when_no_account_could_be_made()
    {
        using var portal = new PortalHost();
        var real = await DemoCodeAsync(portal);
        // An email that is taken, or a weak password: the code is never looked at, so the answer cannot tell codes apart.
        var (_, withReal) = await RegisterAsync(portal, DemoSeeder.StudentEmail, real);
        var (_, withMadeUp) = await RegisterAsync(portal, DemoSeeder.StudentEmail, "QQQQQ7");
        Assert.Contains("is already taken", Errors(withReal));
        Assert.Equal(Errors(withReal), Errors(withMadeUp));
        var (_, weakReal) = await RegisterAsync(portal, "weak-a@example.org", real, "weakpass");
        var (_, weakMadeUp) = await RegisterAsync(portal, "weak-a@example.org", "QQQQQ7", "weakpass");
        Assert.Equal(Errors(weakReal), Errors(weakMadeUp));
        Assert.DoesNotContain("join code", Errors(weakReal));
    }

    [Fact]
    public async Task An_admin_can_open_registration_to_anyone()
    {
        using var portal = new OpenPortal();
        var (status, _) = await RegisterAsync(portal, "open@example.org", "");
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.True(await ExistsAsync(portal, "open@example.org"));
    }

    [Fact]
    public async Task Failed_sign_ins_from_one_address_stop_even_the_right_password_for_a_while()
    {
        using var portal = new TightPortal();
        using var client = portal.NewClient();
        // Different accounts, so no account's own lockout is what stops it.
        foreach (var email in new[] { DemoSeeder.AdminEmail, DemoSeeder.InstructorEmail, "nobody@example.org" })
            Assert.Equal(HttpStatusCode.OK, (await client.PostLoginAsync(email, "Wrong-pass-9")).StatusCode);
        var refused = await client.PostLoginAsync(DemoSeeder.StudentEmail, PortalHost.Password);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Too many failed sign-ins from your network", System.Net.WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("classes")).StatusCode);
    }

    [Fact]
    public async Task Registrations_from_one_address_are_limited()
    {
        using var portal = new TightPortal();
        var code = await DemoCodeAsync(portal);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(portal, $"r{i}@example.org", code)).Status);
        var (status, page) = await RegisterAsync(portal, "r3@example.org", code);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Too many registrations from your network", Errors(page));
        Assert.False(await ExistsAsync(portal, "r3@example.org"));
    }

    [Fact]
    public async Task Join_codes_run_starts_and_predictions_are_limited_per_student_and_a_refusal_changes_nothing()
    {
        using var portal = new TightPortal();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);

        // Join codes: tried from the classes page, so asked of the service the page calls.
        using (var scope = portal.Services.CreateScope())
        {
            await using var db = await portal.NewDbAsync();
            var id = await db.Users.Where(u => u.Email == DemoSeeder.StudentEmail).Select(u => u.Id).SingleAsync();
            var courses = ActivatorUtilities.CreateInstance<CourseService>(scope.ServiceProvider, new Host.FixedUser(id, Roles.Student).AsCurrentUser());
            var outsiders = await portal.OutsiderJoinCodeAsync();
            for (var i = 0; i < 2; i++)
                Assert.Contains("was not accepted", (await Assert.ThrowsAsync<Refusal>(() => courses.JoinAsync("WRONG" + i))).Message);
            Assert.Contains("Too many join codes tried", (await Assert.ThrowsAsync<Refusal>(() => courses.JoinAsync(outsiders))).Message);
            Assert.Equal(1, await db.CourseMembers.CountAsync(m => m.UserId == id));
        }

        var first = await student.StartRunAsync("limited first", PortalApi.TinyConfig(epochs: 1));
        var second = await student.Http.PostAsync("api/runs", System.Net.Http.Json.JsonContent.Create(
            new PneumoniaPortal.Web.Runs.StartRunRequest("limited second", "tiny", PortalApi.TinyConfig(epochs: 1)), options: PortalApi.Json));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("Too many runs started from your account", await second.Content.ReadAsStringAsync());
        await using (var db = await portal.NewDbAsync())
            Assert.False(await db.Runs.AnyAsync(r => r.Name == "limited second"));

        await student.WaitForAsync(first, TimeSpan.FromMinutes(3), "Succeeded");
        var image = await File.ReadAllBytesAsync(Directory.EnumerateFiles(Path.Combine(PneumoniaPortal.Tests.Shared.TestData.SampleRoot, "test", "NORMAL")).First());
        async Task<HttpResponseMessage> PredictAsync()
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new("image/jpeg");
            form.Add(file, "file", "xray.jpeg");
            return await student.Http.PostAsync($"api/runs/{first}/predict", form);
        }
        Assert.Equal(HttpStatusCode.OK, (await PredictAsync()).StatusCode);
        var tooMany = await PredictAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
        Assert.Contains("Too many predictions", await tooMany.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Resuming_a_run_counts_as_starting_one_so_cancel_and_resume_is_no_way_around_the_limit()
    {
        using var portal = new TightPortal();
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var run = await student.StartRunAsync("cancel and resume", PortalApi.SlowConfig(epochs: 50));
        await student.Http.PostAsync($"api/runs/{run}/cancel", null);
        await student.WaitForAsync(run, TimeSpan.FromMinutes(1), "Cancelled");

        var resume = await student.Http.PostAsync($"api/runs/{run}/resume", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, resume.StatusCode);
        Assert.Contains("Too many runs started from your account", await resume.Content.ReadAsStringAsync());
        await using var db = await portal.NewDbAsync();
        Assert.Equal(RunStatus.Cancelled, (await db.Runs.SingleAsync(r => r.Id == run)).Status);
    }
}
