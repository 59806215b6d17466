using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Tests.Leaderboards;

/// <summary>
/// The images a leaderboard holds back: no response a student can get names them or serves them. Plain HTTP sees the
/// prerendered pages; what the interactive circuit renders later (gallery rows) comes from ImageGallery, tested below.
/// </summary>
[Collection(LeaderboardCollection.Name)]
public sealed class HeldOutLeakTests(LeaderboardHost host)
{
    [Fact]
    public async Task Held_back_paths_and_file_names_appear_in_no_response_a_student_can_get()
    {
        var active = await host.DefaultDatasetAsync();
        var heldBack = await host.HeldBackAsync();
        Assert.NotEmpty(heldBack);
        var visibleNames = active.Catalog.Images.Except(heldBack).Select(i => Path.GetFileName(i.RelativePath)).ToList();
        // A file name inside a visible image's name would match innocently; every held-back path is checked in full anyway.
        var needles = heldBack.Select(i => i.RelativePath)
            .Concat(heldBack.Select(i => Path.GetFileName(i.RelativePath)).Where(n => !visibleNames.Any(v => v.Contains(n, StringComparison.OrdinalIgnoreCase))))
            .ToList();
        Assert.True(needles.Count > heldBack.Count, "the sample's held-back file names are mostly unique, so the file-name check means something");

        var responses = new Dictionary<string, string>();
        foreach (var url in new[]
                 {
                     "dataset", "dataset?tab=statistics", $"runs/{host.RunId}", "runs", "leaderboard", $"leaderboard/{host.FirstBoardId}",
                     "api/dataset/statistics", $"api/runs/{host.RunId}", "api/runs", "api/leaderboards", $"api/leaderboards/{host.FirstBoardId}",
                     $"api/leaderboards/{host.FirstBoardId}/eligible-runs",
                 })
        {
            var response = await host.Student.Http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            responses[url] = await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("leaderboard tiny run", responses[$"runs/{host.RunId}"]);
        Assert.NotEmpty(host.HubMessages);
        Assert.Contains(host.HubMessages, m => m.StartsWith("epoch "));
        var i = 0;
        foreach (var message in host.HubMessages) responses[$"hub message {i++}"] = message;

        // Control: the search does find image paths where responses carry them (the statistics name the smallest and biggest image).
        var visiblePaths = active.Catalog.Images.Except(heldBack).Select(x => x.RelativePath).ToList();
        Assert.Contains(responses.Values, text => visiblePaths.Any(p => text.Contains(p, StringComparison.Ordinal)));
        foreach (var (source, text) in responses)
            foreach (var needle in needles)
                Assert.False(text.Contains(needle, StringComparison.OrdinalIgnoreCase), $"{source} names the held-back image {needle}");

        // The statistics count only what the student may see.
        var total = active.Catalog.Count - heldBack.Count;
        Assert.Contains($"\"totalImages\":{total},", responses["api/dataset/statistics"]);
    }

    [Fact]
    public async Task Held_back_images_are_not_served_to_students_while_instructors_see_them_marked_with_their_leaderboard()
    {
        var active = await host.DefaultDatasetAsync();
        var heldBack = await host.HeldBackAsync();
        foreach (var image in heldBack)
        {
            var id = active.IdOf(active.IndexOf(image.RelativePath)!.Value);
            Assert.Equal(HttpStatusCode.NotFound, (await host.Student.Http.GetAsync($"api/dataset/images/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await host.Student.Http.GetAsync($"api/dataset/images/{id}/thumb")).StatusCode);
        }
        var visible = active.Catalog.Images.Select((image, index) => (image, index))
            .First(x => heldBack.All(h => h.RelativePath != x.image.RelativePath)).index;
        Assert.Equal(HttpStatusCode.OK, (await host.Student.Http.GetAsync($"api/dataset/images/{active.IdOf(visible)}")).StatusCode);

        var first = active.IndexOf(heldBack[0].RelativePath)!.Value;
        Assert.Equal(HttpStatusCode.OK, (await host.Instructor.Http.GetAsync($"api/dataset/images/{active.IdOf(first)}/thumb")).StatusCode);
        Assert.Contains($"\"totalImages\":{active.Catalog.Count},", await host.Instructor.Http.GetStringAsync("api/dataset/statistics"));

        var visibility = host.Services.GetRequiredService<DatasetVisibility>();
        var instructorView = await visibility.ForAsync(new Viewer("instructor", "Demo instructor", false, true, false));
        Assert.Empty(instructorView.Hidden);
        Assert.Contains("Leak check", instructorView.HeldBackFor[first]);
        Assert.Equal(heldBack.Count, instructorView.HeldBackFor.Count);

        var studentView = await visibility.ForAsync(new Viewer("student", "Demo student", true, false, false));
        Assert.Equal(heldBack.Count, studentView.Hidden.Count);
        Assert.Empty(studentView.HeldBackFor);
        Assert.Equal(active.Catalog.Count - heldBack.Count, studentView.Statistics.TotalImages);
        Assert.Equal(active.Statistics.CountsFor(Core.Dataset.Split.Test).Total - heldBack.Count,
            studentView.Statistics.CountsFor(Core.Dataset.Split.Test).Total);
    }

    [Fact]
    public async Task A_students_gallery_leaves_out_held_back_images_and_their_detail()
    {
        var active = await host.DefaultDatasetAsync();
        var heldBack = (await host.HeldBackAsync()).Select(h => active.IndexOf(h.RelativePath)!.Value).ToHashSet();
        var visibility = host.Services.GetRequiredService<DatasetVisibility>();
        var student = new Viewer("student", "Demo student", true, false, false);
        var gallery = new ImageGallery(host.Services.GetRequiredService<DatasetService>());
        gallery.Use(active, await visibility.ForAsync(student, active));

        Assert.Equal(active.Catalog.Count - heldBack.Count, gallery.Matching.Count);
        Assert.DoesNotContain(gallery.Matching, heldBack.Contains);
        Assert.All(heldBack, index => Assert.Null(gallery.Detail(index)));
        Assert.All(gallery.Matching.Take(50), index => Assert.DoesNotContain(gallery.Detail(index)!.Twins, t => heldBack.Contains(t.Index)));
    }
}
