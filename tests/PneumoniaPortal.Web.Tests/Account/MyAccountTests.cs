using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Account;

/// <summary>My account, through its pages' forms: password, classes, my data, deleting the account, two-factor sign-in.</summary>
public sealed class MyAccountTests
{
    sealed class TwoFactorPortal() : PortalHost(new Dictionary<string, string?> { ["Identity:RequireTwoFactorForAdmins"] = "true" });

    [Fact]
    public async Task A_student_changes_their_password_and_signs_in_with_the_new_one_only()
    {
        using var portal = new PortalHost();
        var (student, email, _) = await portal.RegisterStudentAsync((await portal.DemoCourseAsync()).JoinCode);
        using var _ = student;
        var wrong = await student.SubmitFormAsync("Account/Manage/ChangePassword", "change-password", new()
        {
            ["Input.OldPassword"] = "not-my-password-1A", ["Input.NewPassword"] = "Brand-new-pass-5", ["Input.ConfirmPassword"] = "Brand-new-pass-5",
        });
        Assert.Contains("manage-error", await wrong.Content.ReadAsStringAsync());
        var changed = await student.SubmitFormAsync("Account/Manage/ChangePassword", "change-password", new()
        {
            ["Input.OldPassword"] = PortalHost.Password, ["Input.NewPassword"] = "Brand-new-pass-5", ["Input.ConfirmPassword"] = "Brand-new-pass-5",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        // Still signed in here (the cookie was renewed), and the new password is the one that works.
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync("api/runs")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(email, PortalHost.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(email, "Brand-new-pass-5")).StatusCode);
    }

    [Fact]
    public async Task My_data_is_a_zip_of_my_runs_without_held_back_images_and_deleting_the_account_keeps_only_what_the_class_was_given()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        var (student, email, _) = await portal.RegisterStudentAsync((await portal.DemoCourseAsync()).JoinCode);
        using var _ = student;
        var kept = await student.StartRunAsync("shared run", PortalApi.TinyConfig(epochs: 1));
        var gone = await student.StartRunAsync("private run", PortalApi.TinyConfig(epochs: 1));
        await student.WaitForAsync(kept, TimeSpan.FromMinutes(3), "Succeeded");
        await student.WaitForAsync(gone, TimeSpan.FromMinutes(3), "Succeeded");
        Assert.True((await student.Http.PostAsync($"api/runs/{kept}/share?shared=true", null)).IsSuccessStatusCode);
        await instructor.CreateBoardAsync((await portal.DemoCourseAsync()).Id, new LeaderboardSettings { Title = "Hidden half", Seed = 9 });
        var hidden = await portal.HeldBackPathsAsync();
        Assert.NotEmpty(hidden);

        var download = await student.SubmitFormAsync("Account/Manage/PersonalData", "", [], action: "Account/Manage/DownloadPersonalData");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using (var zip = new ZipArchive(await download.Content.ReadAsStreamAsync()))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("account.json", names);
            Assert.Contains(names, n => Regex.IsMatch(n, $@"^runs/{gone:D6}-private-run/run\.json$"));
            var predictions = zip.Entries.Single(e => e.FullName == $"runs/{gone:D6}-private-run/predictions.csv");
            using var reader = new StreamReader(predictions.Open());
            var csv = await reader.ReadToEndAsync();
            Assert.True(csv.Split('\n').Length > 10, "the test predictions are in the download");
            Assert.DoesNotContain(hidden, csv.Contains);
            using var account = new StreamReader(zip.GetEntry("account.json")!.Open());
            Assert.Contains(email, await account.ReadToEndAsync());
        }

        var wrong = await student.SubmitFormAsync("Account/Manage/DeletePersonalData", "delete-account", new() { ["Input.Password"] = "not-it-1A" });
        Assert.Contains("manage-error", await wrong.Content.ReadAsStringAsync());
        var deleted = await student.SubmitFormAsync("Account/Manage/DeletePersonalData", "delete-account", new() { ["Input.Password"] = PortalHost.Password });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Contains("deleted=1", deleted.Headers.Location!.ToString());

        await using var db = await portal.NewDbAsync();
        Assert.False(await db.Runs.AnyAsync(r => r.Id == gone));
        Assert.False(Directory.Exists(Path.Combine(portal.DataDirectory, "runs", $"run-{gone:D6}")));
        var shared = await db.Runs.Include(r => r.Owner).SingleAsync(r => r.Id == kept);
        Assert.Equal("Former member", shared.Owner!.DisplayName);
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
        Assert.False(await db.CourseMembers.AnyAsync(m => m.UserId == shared.OwnerId));
        Assert.NotEqual(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(email, PortalHost.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await student.Http.GetAsync("api/runs")).StatusCode);
        // The class still sees the shared run, without a name.
        using var classmate = await portal.SignInAsync(DemoSeeder.StudentEmail);
        Assert.Contains("Former member", await classmate.Http.GetStringAsync("api/runs?all=true"));
        // The address is free again.
        using var back = portal.NewClient();
        await Host.SignInTests.RegisterAsync(back, email, (await portal.DemoCourseAsync()).JoinCode);
        Assert.Equal(HttpStatusCode.OK, (await back.Http.GetAsync("api/runs")).StatusCode);
    }

    [Fact]
    public async Task A_student_changes_their_email_and_signs_in_with_it_and_links_and_sign_ins_elsewhere_end()
    {
        using var portal = new PortalHost();
        var (student, email, id) = await portal.RegisterStudentAsync((await portal.DemoCourseAsync()).JoinCode);
        using var _ = student;
        async Task<string?> StampAsync()
        {
            await using var db = await portal.NewDbAsync();
            return await db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync();
        }
        var before = await StampAsync();
        var taken = await student.SubmitFormAsync("Account/Manage/Email", "change-email", new() { ["Input.NewEmail"] = DemoSeeder.AdminEmail, ["Input.Password"] = PortalHost.Password });
        Assert.Contains("manage-error", await taken.Content.ReadAsStringAsync());
        var moved = $"moved-{Guid.NewGuid():N}"[..14] + "@example.org";
        var changed = await student.SubmitFormAsync("Account/Manage/Email", "change-email", new() { ["Input.NewEmail"] = moved, ["Input.Password"] = PortalHost.Password });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync("api/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(moved, PortalHost.Password)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(email, PortalHost.Password)).StatusCode);
        // A new security stamp: reset links mailed to the old address die, and other sign-ins end at their next check.
        Assert.NotEqual(before, await StampAsync());
    }

    [Fact]
    public async Task A_demo_accounts_home_page_points_at_my_account_and_the_admins_at_people_too()
    {
        using var portal = new PortalHost();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var home = await admin.Http.GetStringAsync("");
        Assert.Contains("demo-account-banner", home);
        Assert.Contains("href=\"Account/Manage/ChangePassword\"", home);
        Assert.Contains("href=\"admin/people\"", home);
        using var demoStudent = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var studentHome = await demoStudent.Http.GetStringAsync("");
        Assert.Contains("demo-account-banner", studentHome);
        Assert.DoesNotContain("href=\"admin/people\"", studentHome);
        var (student, _, _) = await portal.RegisterStudentAsync((await portal.DemoCourseAsync()).JoinCode);
        using var __ = student;
        Assert.DoesNotContain("demo-account-banner", await student.Http.GetStringAsync(""));
    }

    [Fact]
    public async Task The_only_admin_cannot_delete_their_account()
    {
        using var portal = new PortalHost();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var refused = await admin.SubmitFormAsync("Account/Manage/DeletePersonalData", "delete-account", new() { ["Input.Password"] = PortalHost.Password });
        Assert.Contains("only admin", await refused.Content.ReadAsStringAsync());
        await using var db = await portal.NewDbAsync();
        Assert.True(await db.Users.AnyAsync(u => u.Email == DemoSeeder.AdminEmail && u.DeletedAt == null));
    }

    [Fact]
    public async Task A_student_leaves_a_class_and_loses_its_leaderboard()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        var course = await portal.DemoCourseAsync();
        var board = await instructor.CreateBoardAsync(course.Id, new LeaderboardSettings { Title = "Left behind", Seed = 2 });
        var (student, _, _) = await portal.RegisterStudentAsync((await portal.DemoCourseAsync()).JoinCode);
        using var __ = student;
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync($"api/leaderboards/{board}")).StatusCode);
        var left = await student.SubmitFormAsync("Account/Manage/Classes", $"leave-{course.Id}", []);
        Assert.Equal(HttpStatusCode.Redirect, left.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await student.Http.GetAsync($"api/leaderboards/{board}")).StatusCode);
        // The class's only instructor cannot leave it.
        var refused = await instructor.SubmitFormAsync("Account/Manage/Classes", $"leave-{course.Id}", []);
        Assert.Contains("only instructor", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Admins_must_set_up_two_factor_sign_in_when_the_portal_says_so_and_then_sign_in_with_a_code()
    {
        using var portal = new TwoFactorPortal();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.GetAsync("api/admin/people")).StatusCode);
        // An address that ends like a file is an API all the same.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.GetAsync("api/relabel/labels.csv")).StatusCode);
        var home = await admin.Http.GetAsync("");
        Assert.Equal("/Account/Manage/EnableAuthenticator", home.Headers.Location?.ToString());
        // Students are not held to it.
        using (var student = await portal.SignInAsync(DemoSeeder.StudentEmail))
            Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync("api/runs")).StatusCode);

        var page = await admin.Http.GetStringAsync("Account/Manage/EnableAuthenticator");
        Assert.Contains("twofactor-required", page);
        var key = Regex.Match(page, "data-testid=\"authenticator-key\"[^>]*>([^<]+)<").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        var totp = new Totp(Base32Encoding.ToBytes(key));
        var verified = await admin.SubmitFormAsync("Account/Manage/EnableAuthenticator", "verify-authenticator", new() { ["Input.Code"] = totp.ComputeTotp() });
        var shown = await verified.Content.ReadAsStringAsync();
        Assert.Contains("recovery-codes", shown);
        var recovery = Regex.Matches(shown, "<li><code>([^<]+)</code></li>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recovery.Count);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("api/admin/people")).StatusCode);

        // A new sign-in asks for the code after the password.
        using var again = portal.NewClient();
        var password = await again.PostLoginAsync(DemoSeeder.AdminEmail, PortalHost.Password);
        Assert.Contains("Account/LoginWith2fa", password.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.Http.GetAsync("api/runs")).StatusCode);
        var wrong = await again.SubmitFormAsync(password.Headers.Location!.ToString(), "login-with-2fa", new() { ["Input.TwoFactorCode"] = "000000" });
        Assert.Contains("login-error", await wrong.Content.ReadAsStringAsync());
        var coded = await again.SubmitFormAsync(password.Headers.Location!.ToString(), "login-with-2fa", new() { ["Input.TwoFactorCode"] = totp.ComputeTotp() });
        Assert.Equal(HttpStatusCode.Redirect, coded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("api/admin/people")).StatusCode);

        // A recovery code works once.
        using var lost = portal.NewClient();
        await lost.PostLoginAsync(DemoSeeder.AdminEmail, PortalHost.Password);
        var recovered = await lost.SubmitFormAsync("Account/LoginWithRecoveryCode", "login-with-recovery-code", new() { ["Input.RecoveryCode"] = recovery[0] });
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lost.Http.GetAsync("api/admin/people")).StatusCode);
        using var replayed = portal.NewClient();
        await replayed.PostLoginAsync(DemoSeeder.AdminEmail, PortalHost.Password);
        var refused = await replayed.SubmitFormAsync("Account/LoginWithRecoveryCode", "login-with-recovery-code", new() { ["Input.RecoveryCode"] = recovery[0] });
        Assert.Contains("login-error", await refused.Content.ReadAsStringAsync());
    }
}
