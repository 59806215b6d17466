using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Proposals;

[CollectionDefinition(Name)]
public sealed class ReviewCollection : ICollectionFixture<ReviewHost>
{
    public const string Name = "Review host";
}

/// <summary>
/// One portal for the review tests: the demo instructor, the admin (a second decider), the demo student, a second
/// student who proposes, and a leaderboard holding back test images. Each test relabels images no other test touches.
/// </summary>
public sealed class ReviewHost : PortalHost, IAsyncLifetime
{
    public SignedInClient Instructor { get; private set; } = default!;
    public SignedInClient Admin { get; private set; } = default!;
    public SignedInClient Student { get; private set; } = default!;
    public SignedInClient Proposer { get; private set; } = default!;
    public IReadOnlySet<string> HeldBack { get; private set; } = new HashSet<string>();
    int _nextImage;

    public async Task InitializeAsync()
    {
        Instructor = await SignInAsync(DemoSeeder.InstructorEmail);
        Admin = await SignInAsync(DemoSeeder.AdminEmail);
        Student = await SignInAsync(DemoSeeder.StudentEmail);
        Proposer = NewClient();
        var course = await DemoCourseAsync();
        var (courseId, joinCode) = (course.Id, course.JoinCode!);
        await SignInTests.RegisterAsync(Proposer, $"p-{Guid.NewGuid():N}"[..12] + "@example.org", joinCode);

        await Instructor.CreateBoardAsync(courseId, new LeaderboardSettings
        {
            Title = "Review hold-back", Seed = 5, Metric = LeaderboardMetric.Auc, DailySubmissionLimit = 5,
        });
        var active = await DefaultDatasetAsync();
        HeldBack = await Services.GetRequiredService<HeldOutImages>().PathsAsync(active.Catalog);
        if (HeldBack.Count == 0) throw new InvalidOperationException("The leaderboard holds back no image.");
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    /// <summary>An image students may see that no other test has used, optionally with this original label.</summary>
    public async Task<(int Index, ImageRecord Image)> FreshImageAsync(Label? originally = null)
    {
        var active = await DefaultDatasetAsync();
        while (true)
        {
            var i = Interlocked.Increment(ref _nextImage) * 7 % active.Catalog.Count;
            var image = active.Catalog.Images[i];
            if (HeldBack.Contains(image.RelativePath) || (originally is { } label && active.Catalog.Original.Images[i].Label != label)) continue;
            return (i, image);
        }
    }

    /// <summary>The second student proposes the other label for a fresh image; returns the proposal id and image.</summary>
    public async Task<(int Id, int Index, ImageRecord Image)> ProposeFlipAsync(Label? originally = null)
    {
        var (index, image) = await FreshImageAsync(originally);
        var to = image.Label == Label.Normal ? Label.Pneumonia : Label.Normal;
        var id = await ProposeAsync(Proposer, new ProposeRelabel((await DefaultDatasetAsync()).IdOf(index), to, null, "The folder label does not match what I see: " + image.RelativePath));
        return (id, index, image);
    }

    public static async Task<int> ProposeAsync(SignedInClient client, ProposeRelabel request)
    {
        var response = await client.Http.PostAsJsonAsync("api/relabel/proposals", request, PortalApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Proposing failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }

    public static Task<HttpResponseMessage> DecideAsync(SignedInClient client, int id, DecideProposal decision) =>
        client.Http.PostAsJsonAsync($"api/relabel/proposals/{id}/decision", decision, PortalApi.Json);

    public static Task<HttpResponseMessage> VoteAsync(SignedInClient client, int id, bool agree, string? comment = null) =>
        client.Http.PostAsJsonAsync($"api/relabel/proposals/{id}/vote", new CastVote(agree, comment), PortalApi.Json);

    public static async Task<ProposalView> GetAsync(SignedInClient client, int id) =>
        (await client.Http.GetFromJsonAsync<ProposalView>($"api/relabel/proposals/{id}", PortalApi.Json))!;
}
