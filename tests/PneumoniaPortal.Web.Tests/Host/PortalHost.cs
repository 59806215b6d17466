using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace PneumoniaPortal.Web.Tests.Host;

/// <summary>
/// The real portal on a real Kestrel port with its own SQLite file and data folder (deleted afterwards),
/// seeded with the demo accounts and the shipped sample data set.
/// </summary>
public class PortalHost : WebApplicationFactory<Program>
{
    public const string Password = "Test-pass-2026";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "portal-test-" + Guid.NewGuid().ToString("N")[..10]);
    readonly Dictionary<string, string?> _settings = new();

    public PortalHost() : this(null) { }

    protected PortalHost(IDictionary<string, string?>? settings)
    {
        if (settings is not null)
            foreach (var (k, v) in settings) _settings[k] = v;
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("Seed:DemoPassword", Password);
        // Tests start their own runs; the demo student's example run is tested on its own (DemoExampleRunTests).
        builder.UseSetting("Seed:ExampleRun", "false");
        // Dozens of test portals share two cores: they estimate runs from the reference speed instead of each
        // measuring the machine for seconds at start (WorkerSpeedTests measures it).
        builder.UseSetting("Training:Calibrate", "false");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
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

    /// <summary>A new context on the portal's database (dispose it).</summary>
    public Task<Data.PortalDbContext> NewDbAsync() =>
        Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.PortalDbContext>>().CreateDbContextAsync();

    /// <summary>The portal's default data set (the demo class's, unless a test chose another for it), as its services see it.</summary>
    public Task<Web.Dataset.LoadedDataset> DefaultDatasetAsync() => Services.GetRequiredService<Web.Dataset.DatasetService>().GetDefaultAsync();

    /// <summary>The demo class the seeder made (the demo instructor teaches it, the demo student is in it).</summary>
    public async Task<Data.Course> DemoCourseAsync()
    {
        await using var db = await NewDbAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Courses, c => c.Name == Data.DemoSeeder.DemoCourseName);
    }

    /// <summary>The paths of the default data set's images that some leaderboard holds back.</summary>
    public async Task<IReadOnlySet<string>> HeldBackPathsAsync() =>
        await Services.GetRequiredService<Web.Leaderboards.HeldOutImages>().PathsAsync((await DefaultDatasetAsync()).Catalog);

    /// <summary>The account id of the person who signs in with this email.</summary>
    public async Task<string> UserIdAsync(string email)
    {
        await using var db = await NewDbAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.Email == email).Select(u => u.Id));
    }

    /// <summary>A new student, registered through the register page with this join code and signed in.</summary>
    public async Task<(SignedInClient Client, string Email, string Id)> RegisterStudentAsync(string joinCode)
    {
        var email = $"student-{Guid.NewGuid():N}"[..16] + "@example.org";
        var client = NewClient();
        await SignInTests.RegisterAsync(client, email, joinCode);
        return (client, email, await UserIdAsync(email));
    }

    string? _outsiderCode;

    /// <summary>
    /// The join code of a class of its own (taught by the admin): students must register with a class's code, and
    /// tests that need a student outside the demo class register with this one.
    /// </summary>
    public async Task<string> OutsiderJoinCodeAsync()
    {
        if (_outsiderCode is { } known) return known;
        await using var db = await NewDbAsync();
        var admin = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.Email == Data.DemoSeeder.AdminEmail);
        var course = new Data.Course { Name = "Outsiders' class " + Guid.NewGuid().ToString("N")[..6], JoinCode = await PneumoniaPortal.Web.Classes.CourseService.NewJoinCodeAsync(db), CreatedById = admin.Id };
        db.Courses.Add(course);
        await db.SaveChangesAsync();
        return _outsiderCode = course.JoinCode!;
    }

    /// <summary>
    /// A signed-in student in no class at all (registration needs a class's code, so the account is made as an admin
    /// would make it, or as open registration would).
    /// </summary>
    public async Task<SignedInClient> StudentWithoutClassAsync()
    {
        var email = $"loner-{Guid.NewGuid():N}"[..14] + "@example.org";
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Data.PortalUser>>();
            var user = new Data.PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Student without a class" };
            var created = await users.CreateAsync(user, Password);
            if (!created.Succeeded || !(await users.AddToRoleAsync(user, Data.Roles.Student)).Succeeded)
                throw new InvalidOperationException($"Creating {email} failed.");
        }
        return await SignInAsync(email);
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (so tests can see them).</summary>
    public SignedInClient NewClient()
    {
        var cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        return new SignedInClient(new HttpClient(handler) { BaseAddress = BaseAddress }, cookies);
    }

    /// <summary>Signs in through the real sign-in form; fails the test if that does not work.</summary>
    public async Task<SignedInClient> SignInAsync(string email, string password = Password)
    {
        var client = NewClient();
        var response = await client.PostLoginAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed record SignedInClient(HttpClient Http, CookieContainer Cookies) : IDisposable
{
    public Task<HttpResponseMessage> PostLoginAsync(string email, string password) =>
        SubmitFormAsync("Account/Login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>
    /// Fills and posts a static page's form as a browser would: the page is fetched first for its antiforgery token and
    /// the hidden fields of that form, then <paramref name="fields"/> go with them to the same address (or to
    /// <paramref name="action"/>, for a plain form that posts elsewhere; it has no form name).
    /// </summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string page, string formName, Dictionary<string, string> fields, string? action = null)
    {
        var html = await Http.GetStringAsync(page);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var all = new Dictionary<string, string> { ["__RequestVerificationToken"] = token };
        if (formName.Length > 0) all["_handler"] = formName;
        foreach (Match hidden in Regex.Matches(html, "<input[^>]*type=\"hidden\"[^>]*>"))
        {
            var name = Regex.Match(hidden.Value, "name=\"([^\"]+)\"").Groups[1].Value;
            if (name.StartsWith("Input.", StringComparison.Ordinal))
                all[name] = System.Net.WebUtility.HtmlDecode(Regex.Match(hidden.Value, "value=\"([^\"]*)\"").Groups[1].Value);
        }
        foreach (var (k, v) in fields) all[k] = v;
        return await Http.PostAsync(action ?? page, new FormUrlEncodedContent(all));
    }

    /// <summary>The auth cookie header, for SignalR clients that sign in as this user.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(Http.BaseAddress!);

    public void Dispose() => Http.Dispose();
}
