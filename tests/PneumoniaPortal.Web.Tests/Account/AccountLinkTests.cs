using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.People;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Account;

/// <summary>One-time links, used as people use them: the page the link opens and its form.</summary>
public sealed class AccountLinkTests
{
    sealed class ShortLinks() : PortalHost(new Dictionary<string, string?> { ["Identity:ResetLinkLifetime"] = "00:00:02" });

    static async Task<string> ResetLinkAsync(PortalHost portal, SignedInClient admin, string email)
    {
        var response = await admin.Http.PostAsync($"api/admin/people/{await portal.UserIdAsync(email)}/reset-link", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IssuedLink>(PortalApi.Json))!.Link;
    }

    static Task<HttpResponseMessage> ChooseAsync(SignedInClient client, string link, string password) =>
        client.SubmitFormAsync(link, "reset-password", new() { ["Input.Password"] = password, ["Input.ConfirmPassword"] = password });

    [Fact]
    public async Task A_reset_link_works_once_and_takes_every_other_link_of_the_account_with_it()
    {
        using var portal = new PortalHost();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var first = await ResetLinkAsync(portal, admin, DemoSeeder.StudentEmail);
        var link = await ResetLinkAsync(portal, admin, DemoSeeder.StudentEmail);

        // Making a link changes nothing: the student, signed in elsewhere, stays signed in.
        using var signedIn = await portal.SignInAsync(DemoSeeder.StudentEmail);
        using var student = portal.NewClient();
        Assert.Contains("set-password", await student.Http.GetStringAsync(first));
        Assert.Contains("set-password", await student.Http.GetStringAsync(link));
        Assert.Equal(HttpStatusCode.OK, (await signedIn.Http.GetAsync("api/runs")).StatusCode);
        var chosen = await ChooseAsync(student, link, "Chosen-by-link-1");
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync("api/runs")).StatusCode);
        Assert.Contains("link-invalid", await portal.NewClient().Http.GetStringAsync(first));

        // Used: the page says so, and a form posted from an earlier copy of it changes nothing.
        using var again = portal.NewClient();
        var page = await again.Http.GetStringAsync(link);
        Assert.Contains("link-invalid", page);
        Assert.DoesNotContain("set-password", page);
        using var replay = portal.NewClient();
        await replay.Http.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "reset-password", ["Input.Password"] = "Replayed-pass-2", ["Input.ConfirmPassword"] = "Replayed-pass-2",
        }));
        Assert.NotEqual(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(DemoSeeder.StudentEmail, "Replayed-pass-2")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(DemoSeeder.StudentEmail, PortalHost.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(DemoSeeder.StudentEmail, "Chosen-by-link-1")).StatusCode);
    }

    [Fact]
    public async Task A_reset_link_expires()
    {
        using var portal = new ShortLinks();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var link = await ResetLinkAsync(portal, admin, DemoSeeder.StudentEmail);
        using var student = portal.NewClient();
        Assert.Contains("set-password", await student.Http.GetStringAsync(link));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Contains("link-invalid", await student.Http.GetStringAsync(link));
        await ChooseAsync(student, link, "Too-late-pass-3");
        Assert.NotEqual(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(DemoSeeder.StudentEmail, "Too-late-pass-3")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(DemoSeeder.StudentEmail, PortalHost.Password)).StatusCode);
    }

    [Fact]
    public async Task An_invited_instructor_chooses_a_name_and_password_once_and_teaches()
    {
        using var portal = new PortalHost();
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var email = $"new-teacher-{Guid.NewGuid():N}"[..20] + "@example.org";
        var invited = await admin.Http.PostAsJsonAsync("api/admin/people/invitations", new InviteRequest(email, Roles.Instructor, false), PortalApi.Json);
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        var link = (await invited.Content.ReadFromJsonAsync<IssuedLink>(PortalApi.Json))!;
        Assert.Equal("7 days", link.ValidFor);
        var people = await admin.Http.GetFromJsonAsync<List<PersonSummary>>($"api/admin/people?search={Uri.EscapeDataString(email)}", PortalApi.Json);
        Assert.True(Assert.Single(people!).Invited);
        // Not yet accepted: nobody can sign in to it, whatever they type.
        Assert.NotEqual(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(email, "")).StatusCode);

        using var teacher = portal.NewClient();
        var accepted = await teacher.SubmitFormAsync(link.Link, "accept-invite", new()
        {
            ["Input.DisplayName"] = "Dr New Teacher", ["Input.Password"] = "Teacher-pass-4", ["Input.ConfirmPassword"] = "Teacher-pass-4",
        });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var person = Assert.Single((await admin.Http.GetFromJsonAsync<List<PersonSummary>>($"api/admin/people?search={Uri.EscapeDataString(email)}", PortalApi.Json))!);
        Assert.Equal(("Dr New Teacher", false), (person.DisplayName, person.Invited));
        Assert.Equal([Roles.Instructor], person.Roles);
        // An instructor now: the staff-only import page opens.
        Assert.Equal(HttpStatusCode.OK, (await teacher.Http.GetAsync("dataset/import")).StatusCode);
        Assert.Contains("link-invalid", await portal.NewClient().Http.GetStringAsync(link.Link));
    }
}
