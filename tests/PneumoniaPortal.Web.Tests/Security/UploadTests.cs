using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>Hostile data set zips: each is refused in words, writes nothing outside the data folder, leaves no data set behind.</summary>
public sealed class DatasetUploadTests(PortalHost host) : IClassFixture<PortalHost>
{
    static ByteArrayContent ZipBody(byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    static byte[] SampleJpeg() => File.ReadAllBytes(Directory.GetFiles(Path.Combine(Dataset.DatasetTestData.SampleFolder, "train", "NORMAL")).Order().First());

    public static TheoryData<string, string> HostileZips => new()
    {
        { "not-a-zip", "not a readable zip archive" },
        { "huge-png", "20000x20000 pixels" },
        { "truncated-jpeg", "truncated" },
        { "bomb", "looks like a zip bomb" },
        { "many-entries", "may hold at most 60,000" },
        { "traversal", "point outside the archive" },
    };

    static byte[] Make(string kind) => kind switch
    {
        "not-a-zip" => Encoding.UTF8.GetBytes("This is a text file, not a zip."),
        "huge-png" => BadFiles.Zip(("chest_xray/train/NORMAL/huge.png", BadFiles.HugePng(20_000, 20_000))),
        "truncated-jpeg" => BadFiles.Zip(("chest_xray/train/NORMAL/cut.jpeg", SampleJpeg()[..(SampleJpeg().Length / 2)])),
        "bomb" => BadFiles.ZipBomb(2_200L << 20),
        "many-entries" => BadFiles.ManyTinyEntries(100_000),
        // Only escaping entries: nothing of the layout is left to import.
        "traversal" => BadFiles.Zip(("../../evil.jpg", SampleJpeg()), ("/tmp/evil-absolute.jpg", SampleJpeg()),
            ("chest_xray/train/NORMAL/../../../../x.jpeg", SampleJpeg()), ("chest_xray/test/PNEUMONIA/..\\..\\..\\..\\y.jpeg", SampleJpeg())),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(HostileZips))]
    public async Task A_hostile_zip_is_refused_in_words_and_leaves_everything_as_it_was(string kind, string expected)
    {
        using var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);
        var datasets = host.Services.GetRequiredService<DatasetService>();
        var before = await datasets.GetDefaultAsync();
        int rowsBefore;
        await using (var db = await host.NewDbAsync())
            rowsBefore = await db.Datasets.CountAsync();
        var watched = new[] { Path.GetTempPath(), Path.GetDirectoryName(host.DataDirectory)!, Path.Combine(host.DataDirectory, "datasets") };
        var filesBefore = watched.Select(Snapshot).ToList();
        var zip = Make(kind);

        var response = await instructor.Http.PostAsync($"api/dataset/import?name={kind}", ZipBody(zip));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: {(int)response.StatusCode} {body}");
        Assert.True(body.Contains(expected) && body.Contains("Nothing was changed"), $"{kind}: {body}");
        Assert.Equal(before.Id, (await datasets.GetDefaultAsync()).Id);
        await using (var db = await host.NewDbAsync())
            Assert.Equal(rowsBefore, await db.Datasets.CountAsync());
        for (var i = 0; i < watched.Length; i++)
        {
            var added = Snapshot(watched[i]).Except(filesBefore[i]).Where(f => f.Contains("evil") || f.EndsWith("x.jpeg") || f.EndsWith("y.jpeg") || f.StartsWith(host.DataDirectory)).ToList();
            Assert.True(added.Count == 0, $"{kind} left files behind: {string.Join(", ", added)}");
        }
        Assert.False(File.Exists("/tmp/evil-absolute.jpg"));
    }

    /// <summary>Files directly in the folder (and, for the data folder, below it); other portals' temp folders come and go.</summary>
    static HashSet<string> Snapshot(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "*", folder.Contains("portal-test-") ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).ToHashSet()
        : [];

    [Fact]
    public async Task A_good_zip_still_imports_after_the_hostile_ones()
    {
        using var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);
        var response = await instructor.Http.PostAsync("api/dataset/import?name=fine", ZipBody(Dataset.DatasetTestData.KaggleZip(perFolder: 2)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>Predictions on hostile uploads: refused in words before anything is decoded.</summary>
[Collection(SecurityCollection.Name)]
public sealed class PredictUploadTests(SecurityHost host)
{
    public static TheoryData<string, string> HostileImages => new()
    {
        { "notes.txt", "is not a JPEG or PNG image: it looks like a text file" },
        { "cut.jpeg", "cannot be decoded" },
        { "huge.png", "20000 x 20000 pixels" },
        { "empty.jpeg", "is empty" },
    };

    [Theory]
    [MemberData(nameof(HostileImages))]
    public async Task A_hostile_image_is_refused_in_words_and_stores_nothing(string name, string expected)
    {
        var bytes = name switch
        {
            "notes.txt" => Encoding.UTF8.GetBytes("just some notes"),
            "cut.jpeg" => host.TestImageBytes[..(host.TestImageBytes.Length / 2)],
            "huge.png" => BadFiles.HugePng(20_000, 20_000),
            _ => [],
        };
        var runs = Path.Combine(host.DataDirectory, "runs");
        var before = Directory.GetFiles(runs, "*", SearchOption.AllDirectories).Length;
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", name);
        var response = await host[Who.Owner].Http.PostAsync($"api/runs/{host.RunId}/predict", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {body}");
        Assert.Contains(expected, body);
        Assert.Equal(before, Directory.GetFiles(runs, "*", SearchOption.AllDirectories).Length);
    }
}

/// <summary>A portal whose operator allows small data set zips only.</summary>
public sealed class SmallZipPortal() : PortalHost(new Dictionary<string, string?> { ["Dataset:ZipLimits:MaxEntries"] = "10" });

public sealed class ZipLimitSettingTests(SmallZipPortal host) : IClassFixture<SmallZipPortal>
{
    [Fact]
    public async Task The_zip_entry_limit_follows_the_setting()
    {
        using var instructor = await host.SignInAsync(DemoSeeder.InstructorEmail);
        var content = new ByteArrayContent(Dataset.DatasetTestData.KaggleZip(perFolder: 3));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var response = await instructor.Http.PostAsync("api/dataset/import?name=twelve", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("twelve.zip holds 12 files; a data set zip may hold at most 10", body);
    }
}
