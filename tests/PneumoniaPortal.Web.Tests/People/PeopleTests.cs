using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.People;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.People;

/// <summary>The admins' People page, through its API: roles, the last admin, locks, search.</summary>
public sealed class PeopleTests
{
    static Task<HttpResponseMessage> SetRoleAsync(SignedInClient admin, string id, string role, bool granted) =>
        admin.Http.PostAsJsonAsync($"api/admin/people/{id}/roles", new RoleChange(role, granted), PortalApi.Json);

    [Fact]
    public async Task The_last_admin_cannot_be_demoted_or_locked_but_one_of_two_can()
    {
        using var portal = new PortalHost();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var adminId = await portal.UserIdAsync(DemoSeeder.AdminEmail);
        var instructorId = await portal.UserIdAsync(DemoSeeder.InstructorEmail);

        var demote = await SetRoleAsync(admin, adminId, Roles.Admin, false);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("last admin", await demote.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.PostAsync($"api/admin/people/{adminId}/lock?locked=true", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await SetRoleAsync(admin, instructorId, Roles.Admin, true)).StatusCode);
        var people = await admin.Http.GetFromJsonAsync<List<PersonSummary>>("api/admin/people", PortalApi.Json);
        Assert.Equal([Roles.Instructor, Roles.Admin], people!.Single(p => p.Id == instructorId).Roles);
        using var second = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        // Two admins: one may step down; then the other is the last again.
        Assert.Equal(HttpStatusCode.NoContent, (await SetRoleAsync(second, adminId, Roles.Admin, false)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SetRoleAsync(second, instructorId, Roles.Admin, false)).StatusCode);
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
        Assert.False(await users.IsInRoleAsync((await users.FindByIdAsync(adminId))!, Roles.Admin));
        Assert.Single(await users.GetUsersInRoleAsync(Roles.Admin));
    }

    [Fact]
    public async Task A_demoted_instructor_keeps_their_classes_as_a_student_and_an_invited_admin_is_no_admin_yet()
    {
        using var portal = new PortalHost();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var instructorId = await portal.UserIdAsync(DemoSeeder.InstructorEmail);
        var course = await portal.DemoCourseAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await SetRoleAsync(admin, instructorId, Roles.Instructor, false)).StatusCode);
        await using (var db = await portal.NewDbAsync())
            Assert.Equal(CourseRole.Student, await db.CourseMembers.Where(m => m.UserId == instructorId && m.CourseId == course.Id).Select(m => m.Role).SingleAsync());
        using (var former = await portal.SignInAsync(DemoSeeder.InstructorEmail))
            Assert.Equal(HttpStatusCode.Forbidden, (await former.Http.GetAsync($"api/classes/{course.Id}/roster")).StatusCode);

        // An admin invited but not yet signed up cannot be the one left.
        var invited = await admin.Http.PostAsJsonAsync("api/admin/people/invitations", new InviteRequest("future-admin@example.org", Roles.Admin, false), PortalApi.Json);
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SetRoleAsync(admin, await portal.UserIdAsync(DemoSeeder.AdminEmail), Roles.Admin, false)).StatusCode);
    }

    [Fact]
    public async Task A_locked_account_cannot_sign_in_until_it_is_unlocked_and_search_matches_text_not_patterns()
    {
        using var portal = new PortalHost();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var studentId = await portal.UserIdAsync(DemoSeeder.StudentEmail);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsync($"api/admin/people/{studentId}/lock?locked=true", null)).StatusCode);
        using (var locked = portal.NewClient())
        {
            var response = await locked.PostLoginAsync(DemoSeeder.StudentEmail, PortalHost.Password);
            Assert.Contains("Account/Lockout", response.Headers.Location?.ToString());
        }
        var listed = await admin.Http.GetFromJsonAsync<List<PersonSummary>>($"api/admin/people?search={Uri.EscapeDataString(DemoSeeder.StudentEmail)}", PortalApi.Json);
        Assert.NotNull(Assert.Single(listed!).LockedUntil);
        Assert.Empty((await admin.Http.GetFromJsonAsync<List<PersonSummary>>("api/admin/people?search=%25", PortalApi.Json))!);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsync($"api/admin/people/{studentId}/lock?locked=false", null)).StatusCode);
        using var back = await portal.SignInAsync(DemoSeeder.StudentEmail);
        Assert.Equal(HttpStatusCode.OK, (await back.Http.GetAsync("api/runs")).StatusCode);
    }

    [Fact]
    public async Task Only_admins_reach_the_people_operations()
    {
        using var portal = new PortalHost();
        var studentId = await portal.UserIdAsync(DemoSeeder.StudentEmail);
        foreach (var email in new[] { DemoSeeder.StudentEmail, DemoSeeder.InstructorEmail })
        {
            using var client = await portal.SignInAsync(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.Http.GetAsync("api/admin/people")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await SetRoleAsync(client, studentId, Roles.Admin, true)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.Http.PostAsync($"api/admin/people/{studentId}/reset-link", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.Http.PostAsJsonAsync("api/admin/people/invitations", new InviteRequest("x@example.org", Roles.Admin, false), PortalApi.Json)).StatusCode);
        }
        await using var db = await portal.NewDbAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "x@example.org"));
    }
}
