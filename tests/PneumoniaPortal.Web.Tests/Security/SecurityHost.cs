using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>Who asks, in the authorization matrix.</summary>
public enum Who { Anonymous, Owner, OtherStudent, Instructor, OtherInstructor, Admin }

[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityHost>
{
    public const string Name = "Security host";
}

/// <summary>
/// One portal with every role signed in: the demo student (owner of a finished private run, a proposal), a second
/// student in the same class, the demo instructor (teaches the class), an instructor of another class, and the admin;
/// plus a leaderboard and a practice set of the demo class.
/// </summary>
public sealed class SecurityHost : PortalHost, IAsyncLifetime
{
    readonly Dictionary<Who, SignedInClient> _clients = new();
    public int CourseId { get; private set; }
    public string JoinCode { get; private set; } = "";
    public int OtherCourseId { get; private set; }
    /// <summary>A class of the other instructor that only the matrix changes (its join code is renewed).</summary>
    public int SpareCourseId { get; private set; }
    /// <summary>A student account in no class, signed in nowhere: the people operations change it, not anyone who asks.</summary>
    public string BystanderId { get; private set; } = "";
    /// <summary>The owner's finished, private (not shared) run.</summary>
    public int RunId { get; private set; }
    public const string RunName = "secret-run-of-student-a";
    public int LeaderboardId { get; private set; }
    public int PracticeSetId { get; private set; }
    public int PracticeItemId { get; private set; }
    public int ProposalId { get; private set; }
    /// <summary>A data set image every student may see (not held back by the leaderboard).</summary>
    public int ImageIndex { get; private set; }
    /// <summary>A test image of the data set that no leaderboard holds back, with the owner's activations computed.</summary>
    public int TestImageIndex { get; private set; }
    /// <summary>The ids pages and APIs name <see cref="ImageIndex"/> and <see cref="TestImageIndex"/> by.</summary>
    public string ImageId { get; private set; } = "";
    public string TestImageId { get; private set; } = "";
    /// <summary>The URL of one activation picture of <see cref="TestImageIndex"/> (under the owner's run).</summary>
    public string ActivationPictureUrl { get; private set; } = "";
    public byte[] TestImageBytes { get; private set; } = [];
    public string OtherInstructorEmail { get; } = $"other-instr-{Guid.NewGuid():N}"[..20] + "@example.org";

    public SignedInClient this[Who who] => _clients[who];

    public async Task InitializeAsync()
    {
        _clients[Who.Anonymous] = NewClient();
        _clients[Who.Owner] = await SignInAsync(DemoSeeder.StudentEmail);
        _clients[Who.Instructor] = await SignInAsync(DemoSeeder.InstructorEmail);
        _clients[Who.Admin] = await SignInAsync(DemoSeeder.AdminEmail);
        var demo = await DemoCourseAsync();
        (CourseId, JoinCode) = (demo.Id, demo.JoinCode!);
        var other = NewClient();
        await SignInTests.RegisterAsync(other, $"sec-b-{Guid.NewGuid():N}"[..14] + "@example.org", JoinCode);
        _clients[Who.OtherStudent] = other;

        // An instructor with a class of their own: admins create instructor accounts, here straight through Identity.
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = OtherInstructorEmail, Email = OtherInstructorEmail, EmailConfirmed = true, DisplayName = "Other instructor" };
            Check((await users.CreateAsync(user, Password)).Succeeded, "creating the other instructor");
            Check((await users.AddToRoleAsync(user, Roles.Instructor)).Succeeded, "giving the other instructor the role");
            await using var db = await NewDbAsync();
            var course = new Course { Name = "Another class", JoinCode = "OTHER2", CreatedById = user.Id };
            course.Members.Add(new CourseMember { UserId = user.Id, Role = CourseRole.Instructor });
            db.Courses.Add(course);
            var spare = new Course { Name = "Spare class", JoinCode = "SPARE2", CreatedById = user.Id };
            spare.Members.Add(new CourseMember { UserId = user.Id, Role = CourseRole.Instructor });
            db.Courses.Add(spare);
            await db.SaveChangesAsync();
            (OtherCourseId, SpareCourseId) = (course.Id, spare.Id);
            var bystander = new PortalUser { UserName = "bystander@example.org", Email = "bystander@example.org", EmailConfirmed = true, DisplayName = "Bystander" };
            Check((await users.CreateAsync(bystander, Password)).Succeeded, "creating the bystander");
            Check((await users.AddToRoleAsync(bystander, Roles.Student)).Succeeded, "giving the bystander the role");
            BystanderId = bystander.Id;
        }
        _clients[Who.OtherInstructor] = await SignInAsync(OtherInstructorEmail);

        RunId = await this[Who.Owner].StartRunAsync(RunName, PortalApi.TinyConfig(epochs: 1) with { });
        var done = await this[Who.Owner].WaitForAsync(RunId, TimeSpan.FromMinutes(4), "Succeeded", "Failed");
        Check(done.Status == "Succeeded", $"the owner's tiny run finished ({done.Error})");

        LeaderboardId = await this[Who.Instructor].CreateBoardAsync(CourseId, new LeaderboardSettings
        {
            Title = "Security board", Seed = 3, Metric = LeaderboardMetric.Auc, DailySubmissionLimit = 50,
        });

        var set = await Read(await this[Who.Instructor].Http.PostAsJsonAsync("api/relabel/practice",
            new CreatePracticeSet(CourseId, "Security practice", PracticeImageChoice.Random, 4, null, 5), PortalApi.Json));
        PracticeSetId = set.GetProperty("id").GetInt32();
        await using (var db = await NewDbAsync())
            PracticeItemId = await db.BlindLabellingItems.Where(i => i.SetId == PracticeSetId).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();

        var statistics = Services.GetRequiredService<Web.Dataset.DatasetService>();
        var active = await statistics.GetDefaultAsync();
        var held = await Services.GetRequiredService<HeldOutImages>().PathsAsync(active.Catalog);
        ImageIndex = Enumerable.Range(0, active.Catalog.Count).First(i => !held.Contains(active.Catalog.Images[i].RelativePath));
        TestImageIndex = Enumerable.Range(0, active.Catalog.Count)
            .First(i => active.Catalog.Images[i].Split == Split.Test && !held.Contains(active.Catalog.Images[i].RelativePath));
        (ImageId, TestImageId) = (active.IdOf(ImageIndex), active.IdOf(TestImageIndex));
        TestImageBytes = active.Catalog.ReadAllBytes(active.Catalog.Images[TestImageIndex]);
        var activations = await Read(await this[Who.Owner].Http.PostAsync($"api/runs/{RunId}/activations/{TestImageId}", null));
        ActivationPictureUrl = activations.GetProperty("input").GetString()!.TrimStart('/');
        var image = active.Catalog.Images[ImageIndex];
        var proposal = await Read(await this[Who.Owner].Http.PostAsJsonAsync("api/relabel/proposals",
            new ProposeRelabel(ImageId, image.Label == Label.Normal ? Label.Pneumonia : Label.Normal, null, "Security matrix proposal"), PortalApi.Json));
        ProposalId = proposal.GetProperty("id").GetInt32();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    static async Task<JsonElement> Read(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Check(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    static void Check(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException("Security host set-up failed: " + what);
    }
}
