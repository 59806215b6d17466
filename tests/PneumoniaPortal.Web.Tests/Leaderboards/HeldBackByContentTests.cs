using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Leaderboards;

/// <summary>
/// A student cannot tell a held-back image from one that does not exist: images are named by ids that reveal no
/// order, a student's catalog has no held-back image, no copy of one, no count of them and no file facts; and images
/// are held back by content, so importing the same files again shows the student nothing new.
/// </summary>
public sealed class HeldBackByContentTests : IAsyncLifetime
{
    /// <summary>The sample, with one held-back test image copied into train under another name (a byte-identical twin).</summary>
    readonly string _data = TestData.CopyOfSample("held-by-content");
    const int Seed = 21;
    Portal _portal = default!;
    string _twinPath = "";

    sealed class Portal(string data) : PortalHost(new Dictionary<string, string?> { ["Dataset:Path"] = data });

    public async Task InitializeAsync()
    {
        using (var sample = Imaging.DatasetImporter.Open(TestData.SampleRoot))
        {
            var held = LeaderboardSplit.Choose(sample.Images, 0.5, Seed).All.First(i => i.Label == Label.Normal);
            _twinPath = "train/NORMAL/twin-of-a-held-back-image.jpeg";
            File.Copy(Path.Combine(TestData.SampleRoot, held.RelativePath), Path.Combine(_data, _twinPath));
        }
        _portal = new Portal(_data);
        using var instructor = await _portal.SignInAsync(DemoSeeder.InstructorEmail);
        int courseId;
        courseId = (await _portal.DemoCourseAsync()).Id;
        await instructor.CreateBoardAsync(courseId, new LeaderboardSettings { Title = "By content", Seed = Seed, HeldOutFraction = 0.5 });
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    Task<PortalDbContext> NewDbAsync() => _portal.NewDbAsync();

    Task<LoadedDataset> ActiveAsync() => _portal.Services.GetRequiredService<DatasetService>().GetDefaultAsync();

    async Task<IReadOnlySet<string>> HeldMd5sAsync()
    {
        await using var db = await NewDbAsync();
        return (await db.HeldBackImages.Select(h => h.Md5).ToListAsync()).ToHashSet();
    }

    static async Task<List<JsonElement>> CatalogAsync(SignedInClient client) =>
        JsonDocument.Parse(await client.Http.GetStringAsync("api/dataset/images")).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();

    [Fact]
    public async Task Probing_image_ids_answers_the_same_for_a_held_back_image_as_for_one_that_does_not_exist()
    {
        using var student = await _portal.SignInAsync(DemoSeeder.StudentEmail);
        var active = await ActiveAsync();
        var held = await HeldMd5sAsync();
        var heldIndices = Enumerable.Range(0, active.Catalog.Count).Where(i => held.Contains(active.Catalog.Images[i].Md5.ToLowerInvariant())).ToList();
        // The board's half of the test split, and the train copy of one of them.
        var testImages = active.Catalog.Images.Count(i => i.Split == Split.Test);
        Assert.Equal(testImages / 2 + 1, heldIndices.Count);
        Assert.Contains(heldIndices, i => active.Catalog.Images[i].RelativePath == _twinPath);

        // The catalog a student gets has none of them, and its ids are not in the order of the paths.
        var catalog = await CatalogAsync(student);
        Assert.Equal(active.Catalog.Count - heldIndices.Count, catalog.Count);
        var ids = catalog.Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.DoesNotContain(ids, id => heldIndices.Select(active.IdOf).Contains(id));
        Assert.NotEqual(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(catalog, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("md5").ValueKind));

        // Every held-back id answers exactly as an id of nothing and a malformed one do.
        async Task<(HttpStatusCode, string)> Probe(string id)
        {
            var response = await student.Http.GetAsync($"api/dataset/images/{id}/thumb");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        var nothing = await Probe("0123456789abcdef0123");
        Assert.Equal(HttpStatusCode.NotFound, nothing.Item1);
        Assert.Equal(nothing, await Probe("12"));
        foreach (var index in heldIndices) Assert.Equal(nothing, await Probe(active.IdOf(index)));
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync($"api/dataset/images/{ids[0]}/thumb")).StatusCode);

        // Staff see everything, marked.
        using var instructor = await _portal.SignInAsync(DemoSeeder.InstructorEmail);
        var full = await CatalogAsync(instructor);
        Assert.Equal(active.Catalog.Count, full.Count);
        Assert.Equal(heldIndices.Count, full.Count(e => e.GetProperty("heldBackFor").GetString() == "By content"));
    }

    [Fact]
    public async Task A_students_duplicates_statistics_and_leaderboard_give_away_no_held_back_image_or_count()
    {
        using var student = await _portal.SignInAsync(DemoSeeder.StudentEmail);
        var active = await ActiveAsync();
        var visibility = _portal.Services.GetRequiredService<DatasetVisibility>();
        var view = await visibility.ForAsync(new PneumoniaPortal.Web.Security.Viewer("s", "student", true, false, false), active);
        var gallery = new ImageGallery(_portal.Services.GetRequiredService<DatasetService>());
        gallery.Use(active, view);
        // The train copy of a held-back image is held back too, so "duplicates only" cannot point at its twin.
        gallery.Apply(new GalleryFilter(DuplicatesOnly: true));
        var held = await HeldMd5sAsync();
        Assert.DoesNotContain(gallery.Matching, i => held.Contains(active.Catalog.Images[i].Md5.ToLowerInvariant()));
        Assert.DoesNotContain(gallery.Matching, i => active.Catalog.Images[i].RelativePath == _twinPath);
        Assert.False(gallery.ShowsFileFacts);

        var statistics = await student.Http.GetStringAsync("api/dataset/statistics");
        Assert.DoesNotContain(_data, statistics);
        Assert.DoesNotContain(active.Catalog.Fingerprint, statistics);
        Assert.Contains("\"source\":\"\"", statistics);

        var boards = JsonDocument.Parse(await student.Http.GetStringAsync("api/leaderboards")).RootElement;
        var board = JsonDocument.Parse(await student.Http.GetStringAsync($"api/leaderboards/{boards[0].GetProperty("id").GetInt32()}")).RootElement;
        Assert.Equal(JsonValueKind.Null, board.GetProperty("heldOutFraction").ValueKind);
        Assert.Equal(JsonValueKind.Null, board.GetProperty("publicImages").ValueKind);
        Assert.Equal(JsonValueKind.Null, board.GetProperty("privateImages").ValueKind);
    }

    [Fact]
    public async Task Importing_the_same_images_again_holds_back_the_same_content_in_the_new_data_set()
    {
        using var student = await _portal.SignInAsync(DemoSeeder.StudentEmail);
        var before = (await student.Http.GetStringAsync("api/relabel/labels.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var catalogBefore = await CatalogAsync(student);

        using var admin = await _portal.SignInAsync(DemoSeeder.AdminEmail);
        var zip = Path.Combine(TestData.NewTempDirectory("reimport"), "same.zip");
        ZipFile.CreateFromDirectory(_data, zip);
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(zip));
        content.Headers.ContentType = new("application/zip");
        var imported = await admin.Http.PostAsync("api/dataset/import?name=same-again", content);
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        // The class moves to the new set: its student now works on it.
        var importedId = (await imported.Content.ReadFromJsonAsync<DatasetImportResult>(PortalApi.Json))!.Id;
        (await admin.Http.PutAsJsonAsync($"api/classes/{(await _portal.DemoCourseAsync()).Id}/dataset", new Web.Classes.ClassDatasetRequest(importedId), PortalApi.Json))
            .EnsureSuccessStatusCode();
        var active = await _portal.Services.GetRequiredService<DatasetService>().GetAsync(importedId);
        Assert.Equal("same-again", active.Name);
        await using (var db = await NewDbAsync())
            Assert.False(await db.Leaderboards.AnyAsync(l => l.DatasetId == active.Id), "the new data set has no leaderboard of its own");

        var after = (await student.Http.GetStringAsync("api/relabel/labels.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before.Order(), after.Select(l => l).Order());
        var catalogAfter = await CatalogAsync(student);
        Assert.Equal(catalogBefore.Count, catalogAfter.Count);
        var held = await HeldMd5sAsync();
        foreach (var image in active.Catalog.Images.Where(i => held.Contains(i.Md5.ToLowerInvariant())))
        {
            Assert.DoesNotContain(after, line => line.StartsWith(image.RelativePath + ",", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.NotFound, (await student.Http.GetAsync($"api/dataset/images/{active.IdOf(active.IndexOf(image.RelativePath)!.Value)}")).StatusCode);
        }
    }

    [Fact]
    public async Task A_copy_of_a_held_back_image_is_not_trained_on_and_is_in_no_download_and_no_link_tells_it_apart()
    {
        using var student = await _portal.SignInAsync(DemoSeeder.StudentEmail);
        var run = await student.StartRunAsync("beside the twin", PortalApi.TinyConfig(1));
        await student.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded");
        var folder = Path.Combine(_portal.DataDirectory, "runs", $"run-{run:D6}");
        Assert.DoesNotContain(_twinPath, await File.ReadAllTextAsync(Path.Combine(folder, "predictions.csv")));
        Assert.DoesNotContain(_twinPath, await student.Http.GetStringAsync($"api/runs/{run}/download/predictions"));

        // A link to the held-back twin opens the doubtful queue just as a link to nothing does.
        var active = await ActiveAsync();
        var twin = active.IdOf(_twinPath);
        foreach (var id in new[] { twin, "0123456789abcdef0123" })
        {
            var page = await student.Http.GetStringAsync($"relabel?image={id}");
            Assert.DoesNotContain("not one you may see", page);
            Assert.DoesNotContain(_twinPath, page);
        }
    }

    [Fact]
    public async Task A_practice_image_is_not_the_explorers_file_so_its_bytes_and_size_find_no_label()
    {
        using var instructor = await _portal.SignInAsync(DemoSeeder.InstructorEmail);
        using var student = await _portal.SignInAsync(DemoSeeder.StudentEmail);
        int courseId;
        courseId = (await _portal.DemoCourseAsync()).Id;
        var set = JsonDocument.Parse(await (await instructor.Http.PostAsJsonAsync("api/relabel/practice",
            new CreatePracticeSet(courseId, "Blind", PracticeImageChoice.Random, 3, Split.Train, 4), PortalApi.Json)).Content.ReadAsStringAsync()).RootElement;
        var setId = set.GetProperty("id").GetInt32();
        var sheet = JsonDocument.Parse(await student.Http.GetStringAsync($"api/relabel/practice/{setId}")).RootElement;
        var itemId = sheet.GetProperty("items")[0].GetProperty("itemId").GetInt32();
        var shown = await student.Http.GetByteArrayAsync($"api/relabel/practice/{setId}/items/{itemId}/image");
        var active = await ActiveAsync();
        var md5 = Convert.ToHexStringLower(MD5.HashData(shown));
        Assert.DoesNotContain(active.Catalog.Images, i => i.Md5.Equals(md5, StringComparison.OrdinalIgnoreCase));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], shown[..4]);
        // Every practice image has one size, whatever the file's (the explorer shows each image's width and height).
        var size = SkiaSharp.SKBitmap.DecodeBounds(shown);
        Assert.Equal((BlindLabellingService.ImageSize, BlindLabellingService.ImageSize), (size.Width, size.Height));
    }
}
