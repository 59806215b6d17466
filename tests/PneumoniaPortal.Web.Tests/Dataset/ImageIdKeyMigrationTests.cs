using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PneumoniaPortal.Tests.Shared;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>
/// Image ids are an HMAC under each data set's own secret. A portal upgraded from before the secrets existed must not
/// be left with empty keys (anyone could then compute the id of a held-back image): the upgrade gives every data set
/// already stored a random secret of its own, and a data set created afterwards gets one with its row.
/// </summary>
public sealed class ImageIdKeyMigrationTests : IDisposable
{
    readonly string _folder = TestData.NewTempDirectory("idkeys");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Upgrading_gives_every_stored_data_set_a_secret_of_its_own_and_new_ones_get_theirs_when_created()
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={Path.Combine(_folder, "portal.db")};Pooling=False").Options;
        await using (var db = new PortalDbContext(options))
        {
            var migrator = db.GetService<IMigrator>();
            var all = db.Database.GetMigrations().ToList();
            var keys = all.Single(m => m.EndsWith("_ImageIdKeys", StringComparison.Ordinal));
            // The database as the release before the keys left it, with two data sets in it.
            await migrator.MigrateAsync(all[all.IndexOf(keys) - 1]);
            foreach (var name in new[] { "sample", "kaggle" })
                await db.Database.ExecuteSqlAsync($"INSERT INTO Datasets (Name, Path, Origin, ImageCount, Fingerprint, IsActive, ImportedAt) VALUES ({name}, {"/data/" + name}, {"test"}, 0, {""}, 0, 0)");
            await migrator.MigrateAsync();
        }

        await using var after = new PortalDbContext(options);
        var stored = await after.Datasets.OrderBy(d => d.Id).Select(d => d.ImageIdKey).ToListAsync();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, key => Assert.Matches("^[0-9a-f]{64}$", key));
        Assert.NotEqual(stored[0], stored[1]);

        after.Datasets.Add(new ImportedDataset { Name = "new", Path = "/data/new", Origin = "test" });
        await after.SaveChangesAsync();
        var created = await after.Datasets.Where(d => d.Name == "new").Select(d => d.ImageIdKey).SingleAsync();
        Assert.Matches("^[0-9a-f]{64}$", created);
        Assert.DoesNotContain(created, stored);
        // The ids made with two keys differ for the same path.
        Assert.NotEqual(ImageIds.Of(Convert.FromHexString(stored[0]), "test/NORMAL/a.jpeg"), ImageIds.Of(Convert.FromHexString(stored[1]), "test/NORMAL/a.jpeg"));
    }
}
