using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>An instructor derives a data set by re-splitting the default one; it shares the files and runs validate on its own split.</summary>
public sealed class ResplitTests
{
    [Fact]
    public async Task An_instructor_resplits_the_default_data_set_into_a_stored_set_that_shares_its_files_and_runs_of_a_class_on_it_validate_on_its_own_split()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var active = await portal.DefaultDatasetAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await student.Http.PostAsJsonAsync("api/dataset/resplit", new ResplitRequest(active.Id, 0.4, 0.4, 0.2, 3), PortalApi.Json)).StatusCode);
        var bad = await instructor.Http.PostAsJsonAsync("api/dataset/resplit", new ResplitRequest(active.Id, 0.5, 0.4, 0.2, 3), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("add up to 1", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await instructor.Http.PostAsJsonAsync("api/dataset/resplit", new ResplitRequest(9999, 0.4, 0.4, 0.2, 3), PortalApi.Json)).StatusCode);

        var response = await instructor.Http.PostAsJsonAsync("api/dataset/resplit", new ResplitRequest(active.Id, 0.4, 0.4, 0.2, 3), PortalApi.Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var derived = (await response.Content.ReadFromJsonAsync<DatasetResplitResult>(PortalApi.Json))!;
        Assert.False(derived.Dataset.IsDefault);
        Assert.Equal(active.Catalog.Count, derived.Dataset.Images);
        Assert.Equal(active.Catalog.Images.Count(i => i.Split == Split.Val), derived.Counts.Where(c => c.Split == Split.Val).Sum(c => c.Before));
        Assert.All(Enum.GetValues<Label>(), label => Assert.InRange(derived.Counts.Single(c => c.Split == Split.Val && c.Label == label).After,
            DatasetSplitter.OwnValidationPerLabel, int.MaxValue));
        // An import that switches nobody: the default set is the same, and the new one is listed with its origin.
        Assert.Equal(active.Id, (await portal.DefaultDatasetAsync()).Id);
        await using (var db = await portal.NewDbAsync())
        {
            var row = await db.Datasets.SingleAsync(d => d.Id == derived.Dataset.Id);
            Assert.StartsWith("re-split of", row.Origin);
            // Nothing copied: a manifest and a description beside no image.
            Assert.Empty(Directory.EnumerateFiles(row.Path, "*.jp*g", SearchOption.AllDirectories));
        }
        // Nor computed again: the decoded pixels and the perceptual hashes are keyed by the files (paths and MD5s), which
        // the re-split shares with its source, so the source's hashes serve it without decoding an image.
        var derivedSet = await portal.Services.GetRequiredService<DatasetService>().GetAsync(derived.Dataset.Id);
        Assert.Equal(active.Catalog.ContentFingerprint, derivedSet.Catalog.ContentFingerprint);
        var hashes = portal.Services.GetRequiredService<Web.DoubtfulImages.NearDuplicateIndex>();
        await hashes.GetAsync(active.Catalog);
        var hashed = hashes.ImagesHashed;
        Assert.True(hashes.IsReady(derivedSet.Catalog));
        await hashes.GetAsync(derivedSet.Catalog);
        Assert.Equal(hashed, hashes.ImagesHashed);

        // Chosen for the class, a run on it validates on its own validation split, not on a share carved from train.
        var course = await portal.DemoCourseAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await student.Http.PutAsJsonAsync($"api/classes/{course.Id}/dataset", new ClassDatasetRequest(derived.Dataset.Id), PortalApi.Json)).StatusCode);
        (await instructor.Http.PutAsJsonAsync($"api/classes/{course.Id}/dataset", new ClassDatasetRequest(derived.Dataset.Id), PortalApi.Json)).EnsureSuccessStatusCode();
        // Its statistics say what it was made from, with the counts before and after, to staff only (they include
        // the test images a leaderboard holds back).
        var staffPage = await instructor.Http.GetStringAsync("dataset?tab=statistics");
        Assert.Contains("dataset-derivation", staffPage);
        Assert.Contains("A re-split of", staffPage);
        Assert.DoesNotContain("dataset-derivation", await student.Http.GetStringAsync("dataset?tab=statistics"));
        var run = await student.StartRunAsync("on the re-split", PortalApi.TinyConfig(epochs: 1));
        var done = await student.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded", "Failed");
        Assert.True(done.Status == "Succeeded", done.Error);
        var splits = new RunFolder(Path.Combine(portal.DataDirectory, "runs", $"run-{run:D6}")).ReadSplits((await portal.Services.GetRequiredService<DatasetService>().GetAsync(derived.Dataset.Id)).Catalog.Images)!;
        Assert.Equal(derived.Counts.Where(c => c.Split == Split.Val).Sum(c => c.After), splits.Validation.Count);
        Assert.All(splits.Validation, i => Assert.Equal(Split.Val, i.Split));
    }
}
