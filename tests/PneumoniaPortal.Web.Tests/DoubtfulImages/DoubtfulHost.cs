using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.DoubtfulImages;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Tests.Dataset;
using PneumoniaPortal.Web.Tests.Host;
using SkiaSharp;

namespace PneumoniaPortal.Web.Tests.DoubtfulImages;

[CollectionDefinition(Name)]
public sealed class DoubtfulCollection : ICollectionFixture<DoubtfulHost>
{
    public const string Name = "Doubtful queue host";
}

/// <summary>
/// A portal on a copy of the shipped sample with planted problems: a byte-identical copy of a NORMAL image filed as
/// PNEUMONIA, a resized and re-encoded copy of another filed as PNEUMONIA, and train copies of ten test images (train/test
/// leakage). The demo class has a leaderboard holding back half the test split, and the demo student trained three tiny
/// runs (3, 5 and 8 epochs), enough for "most runs disagree".
/// </summary>
public sealed class DoubtfulHost : PortalHost, IAsyncLifetime
{
    public const string ExactCopy = "train/PNEUMONIA/zz-planted-copy_bacteria.jpeg";
    public const string NearCopy = "train/PNEUMONIA/zz-planted-near_virus.jpeg";

    public DoubtfulHost() : this(BuildDataset()) { }

    DoubtfulHost((string Folder, string ExactSource, string NearSource, IReadOnlyDictionary<string, string> Leaked) planted)
        : base(new Dictionary<string, string?> { ["Dataset:Path"] = planted.Folder })
    {
        Folder = planted.Folder;
        ExactSource = planted.ExactSource;
        NearSource = planted.NearSource;
        LeakedTestImages = planted.Leaked;
    }

    public string Folder { get; }
    /// <summary>The NORMAL image <see cref="ExactCopy"/> copies byte for byte.</summary>
    public string ExactSource { get; }
    /// <summary>The NORMAL image <see cref="NearCopy"/> is a smaller re-encoding of.</summary>
    public string NearSource { get; }
    /// <summary>Test images that also sit in train: test path → the train copy's path.</summary>
    public IReadOnlyDictionary<string, string> LeakedTestImages { get; }

    public SignedInClient Student { get; private set; } = default!;
    public SignedInClient Instructor { get; private set; } = default!;
    public IReadOnlyList<int> RunIds { get; private set; } = [];
    public string StudentId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Instructor = await SignInAsync(DemoSeeder.InstructorEmail);
        Student = await SignInAsync(DemoSeeder.StudentEmail);
        await using (var db = await NewDbAsync())
        {
            var course = await DemoCourseAsync();
            StudentId = (await db.Users.SingleAsync(u => u.Email == DemoSeeder.StudentEmail)).Id;
            await Instructor.CreateBoardAsync(course.Id, new LeaderboardSettings { Title = "Doubtful hold-back", Seed = 5 });
        }
        var ids = new List<int>();
        foreach (var epochs in new[] { 3, 5, 8 })
            ids.Add(await Student.StartRunAsync($"doubtful tiny run {epochs}", PortalApi.TinyConfig(epochs)));
        foreach (var id in ids)
        {
            var done = await Student.WaitForAsync(id, TimeSpan.FromMinutes(4), "Succeeded", "Failed");
            if (done.Status != "Succeeded") throw new InvalidOperationException($"Tiny run {id} failed: {done.Error}");
        }
        RunIds = ids;
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        Student?.Dispose();
        Instructor?.Dispose();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Runs <paramref name="use"/> with the queue service of a fresh scope, as one request or circuit gets it.</summary>
    /// <summary>Calls the queue service as the demo student would from the page (signed in, in a scope of its own).</summary>
    public async Task<T> WithQueueAsync<T>(Func<DoubtfulQueueService, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        string studentId;
        await using (var db = await NewDbAsync())
            studentId = db.Users.Single(u => u.Email == DemoSeeder.StudentEmail).Id;
        var student = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, studentId), new(System.Security.Claims.ClaimTypes.Role, Roles.Student)], "test"));
        ((Microsoft.AspNetCore.Components.Authorization.IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider
                .GetRequiredService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(student)));
        return await use(scope.ServiceProvider.GetRequiredService<DoubtfulQueueService>());
    }

    public Task<IReadOnlySet<string>> HeldBackAsync() => HeldBackPathsAsync();

    /// <summary>A run's stored probability of PNEUMONIA per image (validation and test rows), read straight from its folder.</summary>
    public IReadOnlyDictionary<string, float> StoredPredictions(int runId)
    {
        var folder = new RunFolder(Path.Combine(Services.GetRequiredService<PortalPaths>().RunsDirectory, $"run-{runId:D6}"));
        return File.ReadLines(folder.Predictions).Skip(1).Select(line => line.Split(','))
            .ToDictionary(f => f[0], f => float.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    static (string, string, string, IReadOnlyDictionary<string, string>) BuildDataset()
    {
        var folder = Path.Combine(Path.GetTempPath(), "doubtful-set-" + Guid.NewGuid().ToString("N")[..10]);
        var sample = DatasetTestData.SampleFolder;
        foreach (var split in new[] { "train", "test" })
            foreach (var label in new[] { "NORMAL", "PNEUMONIA" })
            {
                Directory.CreateDirectory(Path.Combine(folder, split, label));
                foreach (var file in Directory.GetFiles(Path.Combine(sample, split, label)))
                    File.Copy(file, Path.Combine(folder, split, label, Path.GetFileName(file)));
            }
        var normals = Directory.GetFiles(Path.Combine(sample, "train", "NORMAL")).Order(StringComparer.Ordinal).ToList();
        File.Copy(normals[0], Path.Combine(folder, ExactCopy));
        var near = Reencoded(File.ReadAllBytes(normals[1]), 0.8, quality: 75);
        File.WriteAllBytes(Path.Combine(folder, NearCopy), near);
        var distance = PerceptualHash.Distance(PerceptualHash.Compute(near), PerceptualHash.Compute(File.ReadAllBytes(normals[1])));
        if (distance > 4) throw new InvalidOperationException($"The planted near copy is {distance} bits from its source; the test needs at most 4.");

        var leaked = new Dictionary<string, string>();
        foreach (var label in new[] { "NORMAL", "PNEUMONIA" })
            foreach (var file in Directory.GetFiles(Path.Combine(sample, "test", label)).Order(StringComparer.Ordinal).Take(5))
            {
                File.Copy(file, Path.Combine(folder, "train", label, "leak-" + Path.GetFileName(file)));
                leaked[$"test/{label}/{Path.GetFileName(file)}"] = $"train/{label}/leak-{Path.GetFileName(file)}";
            }
        return (folder, $"train/NORMAL/{Path.GetFileName(normals[0])}", $"train/NORMAL/{Path.GetFileName(normals[1])}", leaked);
    }

    static byte[] Reencoded(byte[] jpeg, double scale, int quality)
    {
        using var source = SKBitmap.Decode(jpeg);
        using var smaller = source.Resize(new SKImageInfo((int)(source.Width * scale), (int)(source.Height * scale)), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var data = smaller.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }
}
