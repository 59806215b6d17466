using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Practice;

/// <summary>One portal for the practice tests: the demo instructor and student signed in; tests make their own sets and students.</summary>
public sealed class BlindPracticeHost : PortalHost, IAsyncLifetime
{
    public SignedInClient Instructor { get; private set; } = default!;
    public SignedInClient Student { get; private set; } = default!;
    public int CourseId { get; private set; }
    public string JoinCode { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Instructor = await SignInAsync(DemoSeeder.InstructorEmail);
        Student = await SignInAsync(DemoSeeder.StudentEmail);
        var course = await DemoCourseAsync();
        (CourseId, JoinCode) = (course.Id, course.JoinCode);
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    /// <summary>A newly registered student, in the demo class or in none.</summary>
    public async Task<SignedInClient> NewStudentAsync(bool inTheClass)
    {
        var client = NewClient();
        await SignInTests.RegisterAsync(client, $"bl-{Guid.NewGuid():N}"[..14] + "@example.org", inTheClass ? JoinCode : await OutsiderJoinCodeAsync());
        return client;
    }

    public async Task<PracticeSetSummary> CreateSetAsync(string title, PracticeImageChoice choice, int count, Split? split = null, int seed = 5)
    {
        var response = await Instructor.Http.PostAsJsonAsync("api/relabel/practice", new CreatePracticeSet(CourseId, title, choice, count, split, seed), PortalApi.Json);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Creating {title} failed: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<PracticeSetSummary>(body, PortalApi.Json)!;
    }

    /// <summary>The set's items as stored (paths and gold labels), in the order students get them.</summary>
    public async Task<List<BlindLabellingItem>> ItemsAsync(int setId)
    {
        await using var db = await NewDbAsync();
        return await db.BlindLabellingItems.AsNoTracking().Where(i => i.SetId == setId).OrderBy(i => i.Id).ToListAsync();
    }

    public static Task<HttpResponseMessage> AnswerAsync(SignedInClient client, int setId, int itemId, Label label) =>
        client.Http.PostAsJsonAsync($"api/relabel/practice/{setId}/answers", new PracticeAnswerRequest(itemId, label), PortalApi.Json);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, PortalApi.Json)!;
    }
}
