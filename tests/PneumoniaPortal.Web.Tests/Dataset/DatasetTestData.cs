using System.IO.Compression;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>Data sets for the explorer and import tests: the shipped sample, small Kaggle-layout zips, in-memory catalogs.</summary>
static class DatasetTestData
{
    /// <summary>The shipped sample: copied next to the test binaries, else found in the repository.</summary>
    public static string SampleFolder { get; } = FindSample();

    static string FindSample()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "sample-data", "chest_xray_sample");
        if (Directory.Exists(copied)) return copied;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "sample-data", "chest_xray_sample");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("The shipped sample data set (sample-data/chest_xray_sample) was not found.");
    }

    /// <summary>A zip in the Kaggle layout (chest_xray/train|test/NORMAL|PNEUMONIA) holding the first images of the sample.</summary>
    public static byte[] KaggleZip(int perFolder)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var split in new[] { "train", "test" })
                foreach (var label in new[] { "NORMAL", "PNEUMONIA" })
                    foreach (var file in Directory.GetFiles(Path.Combine(SampleFolder, split, label)).Order(StringComparer.Ordinal).Take(perFolder))
                        zip.CreateEntryFromFile(file, $"chest_xray/{split}/{label}/{Path.GetFileName(file)}");
        }
        return memory.ToArray();
    }

    /// <summary>A valid zip whose files are not in the Kaggle layout.</summary>
    public static byte[] WrongLayoutZip()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("holiday/photos/beach.txt");
            using var writer = new StreamWriter(entry.Open());
            writer.Write("not an x-ray");
        }
        return memory.ToArray();
    }

    public static ImageRecord Image(string path, Split split, Label label, string md5, string? subtype = null) =>
        new(path, split, label, subtype ?? (label == Label.Normal ? SubtypeNames.Normal : SubtypeNames.Bacteria), 224, 224, md5, 1000);

    /// <summary>Six images: one byte-identical pair across splits with conflicting labels, one virus image.</summary>
    public static LoadedDataset SmallDataset()
    {
        var catalog = ImageCatalog.FromRecords(
        [
            Image("test/NORMAL/IM-0001-0001.jpeg", Split.Test, Label.Normal, "aa"),
            Image("test/PNEUMONIA/person1_virus_1.jpeg", Split.Test, Label.Pneumonia, "bb", SubtypeNames.Virus),
            Image("train/NORMAL/IM-0002-0001.jpeg", Split.Train, Label.Normal, "cc"),
            Image("train/NORMAL/IM-0003-0001.jpeg", Split.Train, Label.Normal, "dd"),
            Image("train/PNEUMONIA/person2_bacteria_2.jpeg", Split.Train, Label.Pneumonia, "AA"),
            Image("train/PNEUMONIA/person3_bacteria_3.jpeg", Split.Train, Label.Pneumonia, "ee"),
        ]);
        return new LoadedDataset(1, "small", catalog, DatasetStatistics.From(catalog)) { IdKey = ImageIds.NewKey() };
    }
}

/// <summary>A DatasetService over its own SQLite file and data folder (deleted on dispose), importing from inside <see cref="Root"/>.</summary>
sealed class DatasetServiceScope : IDisposable
{
    public static readonly PneumoniaPortal.Web.Security.Viewer Admin = new("admin-id", "admin@example.org", IsStudent: false, IsInstructor: false, IsAdmin: true);
    public static readonly PneumoniaPortal.Web.Security.Viewer Instructor = new("instructor-id", "instructor@example.org", IsStudent: false, IsInstructor: true, IsAdmin: false);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "portal-dataset-" + Guid.NewGuid().ToString("N")[..10]);
    public PortalPaths Paths { get; }
    public DatasetService Service { get; }
    public IDbContextFactory<PortalDbContext> Db { get; }

    public DatasetServiceScope(string? configuredPath = null)
    {
        Directory.CreateDirectory(Root);
        Paths = new PortalPaths(Root, Path.Combine(Root, "runs"), Path.Combine(Root, "datasets"), Path.Combine(Root, "cache"), AppContext.BaseDirectory);
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={Path.Combine(Root, "portal.db")};Pooling=False").Options;
        using (var db = new PortalDbContext(options)) db.Database.Migrate();
        Db = new PooledDbContextFactory<PortalDbContext>(options);
        Service = new DatasetService(Db, Paths, Options.Create(new DatasetOptions { Path = configuredPath, ImportRoots = [Root] }), NullLogger<DatasetService>.Instance);
    }

    public void Dispose()
    {
        Service.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
