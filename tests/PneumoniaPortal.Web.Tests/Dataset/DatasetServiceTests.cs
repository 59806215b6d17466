using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Tests.Dataset;

public sealed class DatasetServiceTests : IDisposable
{
    readonly DatasetServiceScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public async Task Importing_a_folder_in_the_wrong_layout_says_what_is_expected_and_keeps_the_default_data_set()
    {
        var before = await _scope.Service.GetDefaultAsync();
        var wrong = Directory.CreateDirectory(Path.Combine(_scope.Root, "holiday-photos")).FullName;
        var e = await Assert.ThrowsAsync<DatasetLayoutException>(() => _scope.Service.ImportFolderAsync(wrong, DatasetServiceScope.Admin));
        Assert.Contains("NORMAL", e.Message);
        Assert.Same(before, await _scope.Service.GetDefaultAsync());
    }

    [Fact]
    public async Task Uploading_a_file_that_is_not_a_zip_removes_the_saved_upload_and_keeps_the_default_data_set()
    {
        var before = await _scope.Service.GetDefaultAsync();
        await Assert.ThrowsAsync<DatasetLayoutException>(() =>
            _scope.Service.ImportZipAsync(new MemoryStream("this is not a zip"u8.ToArray()), "broken.zip", DatasetServiceScope.Admin));
        Assert.Same(before, await _scope.Service.GetDefaultAsync());
        Assert.Empty(Directory.Exists(_scope.Paths.DatasetsDirectory) ? Directory.GetFiles(_scope.Paths.DatasetsDirectory) : []);
    }

    [Fact]
    public async Task An_uploaded_zip_is_added_without_moving_anyone_reports_progress_and_an_admin_can_make_it_the_default_and_back()
    {
        var sample = await _scope.Service.GetDefaultAsync();
        var zip = DatasetTestData.KaggleZip(perFolder: 5);
        var reported = new List<double>();
        var changed = new List<string>();
        _scope.Service.Changed += a => changed.Add(a.Name);

        var result = await _scope.Service.ImportZipAsync(new MemoryStream(zip), "small set.zip", DatasetServiceScope.Admin,
            new SynchronousProgress(reported.Add), zip.Length);

        Assert.Equal((20, false), (result.Images, result.IsDefault));
        Assert.Same(sample, await _scope.Service.GetDefaultAsync());
        Assert.Empty(changed);
        Assert.Contains(reported, p => p is > 0 and <= 0.5);
        Assert.Equal(1.0, reported[^1], 3);
        var known = await _scope.Service.ListAsync();
        Assert.Equal(sample.Id, Assert.Single(known, d => d.IsDefault).Id);
        Assert.Equal(20, known.Single(d => d.Id == result.Id).ImageCount);

        Assert.True((await _scope.Service.MakeDefaultAsync(result.Id, DatasetServiceScope.Admin)).IsDefault);
        var imported = await _scope.Service.GetDefaultAsync();
        Assert.Equal((result.Id, 20), (imported.Id, imported.Catalog.Count));
        Assert.Equal(["small set"], changed);
        Assert.Equal(result.Id, Assert.Single(await _scope.Service.ListAsync(), d => d.IsDefault).Id);

        var back = await _scope.Service.MakeDefaultAsync(sample.Id, DatasetServiceScope.Admin);
        Assert.Equal(sample.Catalog.Count, back.Images);
        Assert.Equal(sample.Id, Assert.Single(await _scope.Service.ListAsync(), d => d.IsDefault).Id);
        // The set that is no longer the default still reads: pages and classes using it keep working.
        Assert.NotEmpty(imported.Catalog.ReadAllBytes(imported.Catalog.Images[0]));
    }

    [Fact]
    public async Task Another_node_follows_a_new_default_and_a_new_label_version_of_every_set_it_has_loaded()
    {
        // A second service on the same database and files: another portal node.
        using var other = new DatasetService(_scope.Db, _scope.Paths, Microsoft.Extensions.Options.Options.Create(new DatasetOptions { ImportRoots = [_scope.Root] }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DatasetService>.Instance);
        var sample = await _scope.Service.GetDefaultAsync();
        Assert.Equal(sample.Id, (await other.GetDefaultAsync()).Id);
        var zip = DatasetTestData.KaggleZip(perFolder: 4);
        var imported = await _scope.Service.ImportZipAsync(new MemoryStream(zip), "elsewhere.zip", DatasetServiceScope.Admin);
        var onOther = await other.GetAsync(imported.Id);
        var changed = new List<(int Id, int Version)>();
        other.Changed += d => changed.Add((d.Id, d.LabelVersion));

        await _scope.Service.MakeDefaultAsync(imported.Id, DatasetServiceScope.Admin);
        var image = onOther.Catalog.Images[0];
        await using (var db = await _scope.Db.CreateDbContextAsync())
        {
            // An accepted relabelling as another node stores it, without the proposal and people it needs in a portal.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF");
            db.LabelChanges.Add(new Web.Data.LabelChangeRecord
            {
                DatasetId = imported.Id, Version = 1, RelativePath = image.RelativePath, FromLabel = image.Label, FromSubtype = image.Subtype,
                ToLabel = image.Label == Label.Normal ? Label.Pneumonia : Label.Normal, ToSubtype = image.Label == Label.Normal ? "virus" : "normal",
            });
            await db.SaveChangesAsync();
        }
        Assert.Equal(sample.Id, (await other.GetDefaultAsync()).Id); // not before it looks
        await other.FollowAsync();

        var followed = await other.GetDefaultAsync();
        Assert.Equal((imported.Id, 1), (followed.Id, followed.LabelVersion));
        Assert.NotEqual(image.Label, followed.Catalog.Find(image.RelativePath)!.Label);
        Assert.Equal([(imported.Id, 1), (imported.Id, 1)], changed);
        await other.FollowAsync();
        Assert.Equal(2, changed.Count); // nothing new: nothing said
    }

    sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) { lock (this) report(value); }
    }
}
