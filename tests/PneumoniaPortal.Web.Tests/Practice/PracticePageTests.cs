using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Components.Pages.Practice;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.DoubtfulImages;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Tests.Practice;

/// <summary>The labelling page in a live circuit (bUnit) over the host's database and data set: answering, moving on, closing.</summary>
public sealed class PracticePageTests(BlindPracticeHost host) : IClassFixture<BlindPracticeHost>, IAsyncLifetime
{
    readonly BunitContext _bunit = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bunit.DisposeAsync();

    async Task<IRenderedComponent<PracticePage>> RenderAsync(int setId, string email, string role)
    {
        string userId;
        await using (var db = await host.NewDbAsync())
            userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        _bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        _bunit.Services.AddMudServices();
        _bunit.Services.AddLogging();
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>());
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<DatasetService>());
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<Web.Classes.WorkingClasses>());
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<HeldOutImages>());
        _bunit.Services.AddScoped<CurrentUser>();
        // Practice picks "most doubtful" images from the doubtful queue.
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<PortalPaths>());
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<NearDuplicateIndex>());
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<DoubtfulQueueCache>());
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<BlindAnswerCounts>());
        _bunit.Services.AddScoped<DoubtfulQueueService>();
        // The reader study reads the model's results and computes its heat maps.
        _bunit.Services.AddScoped<Web.Results.RunResultsService>();
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<Web.Activations.ActivationQueue>());
        _bunit.Services.AddScoped<Web.Activations.ActivationService>();
        _bunit.Services.AddSingleton(host.Services.GetRequiredService<AgreementCache>());
        _bunit.Services.AddScoped<BlindLabellingService>();
        _bunit.AddAuthorization().SetAuthorized(email).SetRoles(role).SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        _bunit.Render<MudPopoverProvider>();
        _bunit.Render<MudSnackbarProvider>();
        var page = _bunit.Render<PracticePage>(p => p.Add(x => x.Id, setId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=practice-sheet]")), TimeSpan.FromSeconds(20));
        return page;
    }

    static string Progress(IRenderedComponent<PracticePage> page) => page.Find("[data-testid=practice-progress]").TextContent.Trim();

    [Fact]
    public async Task Answering_moves_to_the_next_image_and_counts_the_answer()
    {
        var set = await host.CreateSetAsync("Page flow", PracticeImageChoice.Random, 3, Split.Train, seed: 21);
        var items = await host.ItemsAsync(set.Id);
        var page = await RenderAsync(set.Id, DemoSeeder.StudentEmail, Roles.Student);

        Assert.Equal("Image 1 of 3 · 0 answered", Progress(page));
        Assert.EndsWith($"/items/{items[0].Id}/image", page.Find("[data-testid=practice-image]").GetAttribute("src"));
        Assert.Equal("Chest X-ray 1 of 3", page.Find("[data-testid=practice-image]").GetAttribute("alt"));
        page.Find("[data-testid=practice-answer-pneumonia]").Click();
        page.WaitForAssertion(() => Assert.Equal("Image 2 of 3 · 1 answered", Progress(page)));
        Assert.EndsWith($"/items/{items[1].Id}/image", page.Find("[data-testid=practice-image]").GetAttribute("src"));
        Assert.Empty(page.FindAll("[data-testid=practice-results]"));

        await using var db = await host.NewDbAsync();
        Assert.Equal(Label.Pneumonia, (await db.BlindLabels.SingleAsync(a => a.ItemId == items[0].Id)).Label);
    }

    [Fact]
    public async Task The_instructor_closes_the_set_from_the_page_and_sees_the_results()
    {
        var set = await host.CreateSetAsync("Page close", PracticeImageChoice.Random, 2, Split.Train, seed: 22);
        var page = await RenderAsync(set.Id, DemoSeeder.InstructorEmail, Roles.Instructor);

        Assert.NotEmpty(page.FindAll("[data-testid=practice-results]"));
        Assert.True(page.Find("[data-testid=practice-answer-normal]").HasAttribute("disabled"));
        page.Find("[data-testid=practice-close]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=practice-closed]")));
        await using var db = await host.NewDbAsync();
        Assert.True((await db.BlindLabellingSets.SingleAsync(s => s.Id == set.Id)).Closed);
    }
}
