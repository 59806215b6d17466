using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using PneumoniaPortal.Web.Components.Pages.DoubtfulImages;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.DoubtfulImages;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Security;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.DoubtfulImages;

/// <summary>The /relabel page rendered with bUnit on a real portal's services, signed in as a student.</summary>
static class DoubtfulPage
{
    public static BunitContext For(PortalHost host, string userId, string email)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        var portal = host.Services;
        ctx.Services.AddSingleton(portal.GetRequiredService<IDbContextFactory<PortalDbContext>>());
        ctx.Services.AddSingleton(portal.GetRequiredService<DatasetService>());
        ctx.Services.AddSingleton(portal.GetRequiredService<Web.Classes.WorkingClasses>());
        ctx.Services.AddSingleton(portal.GetRequiredService<DatasetVisibility>());
        ctx.Services.AddSingleton(portal.GetRequiredService<HeldOutImages>());
        ctx.Services.AddSingleton(portal.GetRequiredService<PortalPaths>());
        ctx.Services.AddSingleton(portal.GetRequiredService<NearDuplicateIndex>());
        ctx.Services.AddSingleton(portal.GetRequiredService<DoubtfulQueueCache>());
        ctx.Services.AddSingleton(portal.GetRequiredService<BlindAnswerCounts>());
        ctx.Services.AddSingleton<Microsoft.Extensions.Logging.ILogger<RelabelService>>(NullLogger<RelabelService>.Instance);
        ctx.Services.AddScoped<CurrentUser>();
        ctx.Services.AddScoped<BlindLabellingService>();
        ctx.Services.AddScoped<DoubtfulQueueService>();
        ctx.Services.AddScoped<RelabelService>();
        ctx.AddAuthorization().SetAuthorized(email).SetRoles(Roles.Student).SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    public static IRenderedComponent<DoubtfulQueuePage> Render(BunitContext ctx)
    {
        var page = ctx.Render<DoubtfulQueuePage>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=doubtful-loading]")), TimeSpan.FromSeconds(30));
        return page;
    }
}

[Collection(DoubtfulCollection.Name)]
public sealed class DoubtfulQueuePageTests(DoubtfulHost host) : IAsyncLifetime
{
    BunitContext _ctx = default!;

    public Task InitializeAsync()
    {
        _ctx = DoubtfulPage.For(host, host.StudentId, DemoSeeder.StudentEmail);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Doubtful_student_proposes_from_the_page_and_a_short_reason_shows_the_problem_beside_the_form()
    {
        var page = DoubtfulPage.Render(_ctx);
        var active = await host.DefaultDatasetAsync();
        var id = active.IdOf(active.IndexOf(DoubtfulHost.NearCopy)!.Value);

        page.Find($"[data-testid=doubtful-entry][data-image='{id}']").Click();
        page.WaitForAssertion(() => Assert.Equal(id, page.Find("[data-testid=doubtful-detail]").GetAttribute("data-image")));
        Assert.Contains(host.NearSource, page.Find("[data-testid=doubtful-twins]").TextContent);
        // The copy is filed as PNEUMONIA, so the form suggests NORMAL.
        Assert.NotNull(page.Find("[data-testid=propose-label]"));

        page.Find("[data-testid=propose-reason]").Change("too short");
        page.Find("[data-testid=propose-submit]").Click();
        page.WaitForAssertion(() => Assert.Contains("Say why in 10 to 2000 characters", page.Find("[data-testid=propose-error]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=propose-result]"));

        page.Find("[data-testid=propose-reason]").Change("A smaller re-encoding of a NORMAL image: the lungs are clear, no consolidation.");
        page.Find("[data-testid=propose-submit]").Click();
        page.WaitForAssertion(() => Assert.Contains("Proposal #", page.Find("[data-testid=propose-result]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=propose-error]"));

        await using var db = await host.NewDbAsync();
        var proposal = await db.RelabelProposals.SingleAsync(p => p.RelativePath == DoubtfulHost.NearCopy);
        Assert.Equal((Core.Dataset.Label.Normal, "normal", host.StudentId, ProposalStatus.Open),
            (proposal.ProposedLabel, proposal.ProposedSubtype, proposal.ProposerId, proposal.Status));
        page.WaitForAssertion(() => Assert.Contains($"#{proposal.Id}", page.Find("[data-testid=doubtful-open-proposal]").TextContent));
    }

    [Fact]
    public async Task Doubtful_page_is_served_to_a_signed_in_student_and_not_to_a_visitor()
    {
        var response = await host.Student.Http.GetAsync("relabel");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, html);
        Assert.Contains("Doubtful images", html);

        using var visitor = host.NewClient();
        var refused = await visitor.Http.GetAsync("relabel");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, refused.StatusCode);
    }

    [Fact]
    public void Doubtful_page_lists_entries_with_reasons_and_filters_by_evidence_kind()
    {
        var page = DoubtfulPage.Render(_ctx);
        Assert.NotNull(page.Find("[data-testid=doubtful-banner]"));
        Assert.NotEmpty(page.FindAll("[data-testid=doubtful-entry]"));
        Assert.NotEmpty(page.FindAll("[data-testid=doubtful-reason]"));
        Assert.Empty(page.FindAll("[data-testid=doubtful-empty]"));

        page.Find("[data-testid=filter-evidence-DuplicateConflict]").Click();
        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-testid=doubtful-entry]"),
            e => Assert.Contains(e.QuerySelectorAll("[data-testid=doubtful-reason]"), r => r.GetAttribute("data-kind") == "DuplicateConflict")));
        Assert.Equal(2, page.FindAll("[data-testid=doubtful-entry]").Count);
    }
}

/// <summary>A portal on the shipped sample with no finished run: the page says how the queue fills.</summary>
public sealed class DoubtfulEmptyQueueTests(PortalHost host) : IClassFixture<PortalHost>, IAsyncLifetime
{
    BunitContext _ctx = default!;

    public async Task InitializeAsync()
    {
        await using var db = await host.NewDbAsync();
        var student = await db.Users.SingleAsync(u => u.Email == DemoSeeder.StudentEmail);
        _ctx = DoubtfulPage.For(host, student.Id, DemoSeeder.StudentEmail);
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public void Doubtful_page_without_finished_runs_says_how_the_queue_fills()
    {
        var page = DoubtfulPage.Render(_ctx);
        var empty = page.Find("[data-testid=doubtful-empty]").TextContent;
        Assert.Contains("training run", empty);
        Assert.Contains("blind labelling", empty);
        Assert.Contains("perceptual hash", empty);
    }
}
