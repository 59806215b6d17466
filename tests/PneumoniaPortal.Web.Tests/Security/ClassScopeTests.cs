using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>Who proposed what, and who voted, stays in the class; nobody's email is shown to classmates.</summary>
[Collection(SecurityCollection.Name)]
public sealed class ClassScopeTests(SecurityHost host)
{
    [Fact]
    public async Task A_student_of_another_class_sees_neither_the_proposal_nor_its_history_entry()
    {
        using var outsider = host.NewClient();
        await SignInTests.RegisterAsync(outsider, $"out-{Guid.NewGuid():N}"[..12] + "@example.org", "OTHER2");
        var theirs = await outsider.Http.GetStringAsync("api/relabel/proposals?show=all");
        Assert.DoesNotContain($"\"id\":{host.ProposalId},", theirs);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"api/relabel/proposals/{host.ProposalId}")).StatusCode);
        var history = await outsider.Http.GetStringAsync($"api/relabel/images/{host.ImageId}/history");
        Assert.DoesNotContain("Security matrix proposal", history);
        Assert.DoesNotContain("Security matrix proposal", await outsider.Http.GetStringAsync("api/relabel/changes.csv"));

        // Proposing for the same image tells them one is open elsewhere, not which one or why.
        var image = (await host.Services.GetRequiredService<PneumoniaPortal.Web.Dataset.DatasetService>().GetDefaultAsync()).Catalog.Images[host.ImageIndex];
        var refused = await outsider.Http.PostAsJsonAsync("api/relabel/proposals", new ProposeRelabel(host.ImageId,
            image.Label == Label.Normal ? Label.Pneumonia : Label.Normal, null, "The outsider's view of this image"), PortalApi.Json);
        var said = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("an open proposal in another class", said);
        Assert.DoesNotContain($"#{host.ProposalId}", said);

        // In the class, it is there.
        Assert.Contains($"\"id\":{host.ProposalId},", await host[Who.OtherStudent].Http.GetStringAsync("api/relabel/proposals?show=all"));
        Assert.Contains("Security matrix proposal", await host[Who.OtherStudent].Http.GetStringAsync($"api/relabel/images/{host.ImageId}/history"));
    }

    [Fact]
    public async Task A_classmate_without_a_display_name_is_shown_without_their_email()
    {
        var email = $"noname-{Guid.NewGuid():N}"[..15] + "@example.org";
        using (var scope = host.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "" };
            Assert.True((await users.CreateAsync(user, PortalHost.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Student)).Succeeded);
            await using var db = await host.NewDbAsync();
            db.CourseMembers.Add(new CourseMember { CourseId = host.CourseId, UserId = user.Id, Role = CourseRole.Student });
            await db.SaveChangesAsync();
        }
        using var nameless = await host.SignInAsync(email);
        var active = await host.Services.GetRequiredService<PneumoniaPortal.Web.Dataset.DatasetService>().GetDefaultAsync();
        var held = await host.Services.GetRequiredService<PneumoniaPortal.Web.Leaderboards.HeldOutImages>().PathsAsync(active.Catalog);
        var index = Enumerable.Range(0, active.Catalog.Count).Last(i => active.Catalog.Images[i].Split == Split.Train && !held.Contains(active.Catalog.Images[i].RelativePath));
        var made = await nameless.Http.PostAsJsonAsync("api/relabel/proposals", new ProposeRelabel(active.IdOf(index),
            active.Catalog.Images[index].Label == Label.Normal ? Label.Pneumonia : Label.Normal, null, "Proposed by someone with no name"), PortalApi.Json);
        Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
        Assert.True((await host[Who.OtherStudent].Http.PostAsJsonAsync($"api/relabel/proposals/{id}/vote", new CastVote(true), PortalApi.Json)).IsSuccessStatusCode);

        foreach (var viewer in new[] { host[Who.Owner], host[Who.OtherStudent] })
        {
            var proposal = await viewer.Http.GetStringAsync($"api/relabel/proposals/{id}");
            Assert.DoesNotContain(email, proposal);
            Assert.Contains("a member of the class", proposal);
            Assert.DoesNotContain(email, await viewer.Http.GetStringAsync("api/relabel/changes.csv"));
        }
    }
}
