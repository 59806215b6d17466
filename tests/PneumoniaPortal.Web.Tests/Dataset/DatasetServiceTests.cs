using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Tests.Dataset;

public sealed class DatasetServiceTests : IDisposable
{
    readonly DatasetServiceScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public async Task Importing_a_folder_in_the_wrong_layout_says_what_is_expected_and_keeps_the_active_data_set()
    {
        var before = await _scope.Service.GetActiveAsync();
        var wrong = Directory.CreateDirectory(Path.Combine(_scope.Root, "holiday-photos")).FullName;
        var e = await Assert.ThrowsAsync<DatasetLayoutException>(() => _scope.Service.ImportFolderAsync(wrong, DatasetServiceScope.Admin));
        Assert.Contains("NORMAL", e.Message);
        Assert.Same(before, await _scope.Service.GetActiveAsync());
    }

    [Fact]
    public async Task Uploading_a_file_that_is_not_a_zip_removes_the_saved_upload_and_keeps_the_active_data_set()
    {
        var before = await _scope.Service.GetActiveAsync();
        await Assert.ThrowsAsync<DatasetLayoutException>(() =>
            _scope.Service.ImportZipAsync(new MemoryStream("this is not a zip"u8.ToArray()), "broken.zip", DatasetServiceScope.Admin));
        Assert.Same(before, await _scope.Service.GetActiveAsync());
        Assert.Empty(Directory.Exists(_scope.Paths.DatasetsDirectory) ? Directory.GetFiles(_scope.Paths.DatasetsDirectory) : []);
    }

    [Fact]
    public async Task Uploaded_zip_becomes_the_active_data_set_reports_progress_and_can_be_switched_back()
    {
        var sample = await _scope.Service.GetActiveAsync();
        var zip = DatasetTestData.KaggleZip(perFolder: 5);
        var reported = new List<double>();
        var changed = new List<string>();
        _scope.Service.ActiveChanged += a => changed.Add(a.Name);

        var result = await _scope.Service.ImportZipAsync(new MemoryStream(zip), "small set.zip", DatasetServiceScope.Admin,
            new SynchronousProgress(reported.Add), zip.Length);

        var imported = await _scope.Service.GetActiveAsync();
        Assert.Equal((20, true, imported.Id), (result.Images, result.Active, result.Id));
        Assert.Equal(20, imported.Catalog.Count);
        Assert.Equal(["small set"], changed);
        Assert.Contains(reported, p => p is > 0 and <= 0.5);
        Assert.Equal(1.0, reported[^1], 3);
        var known = await _scope.Service.ListAsync();
        Assert.Equal(imported.Id, Assert.Single(known, d => d.IsActive).Id);
        Assert.Equal(20, known.Single(d => d.Id == imported.Id).ImageCount);

        var back = await _scope.Service.ActivateAsync(sample.Id, DatasetServiceScope.Admin);
        Assert.Equal(sample.Catalog.Count, back.Images);
        Assert.Equal(sample.Id, Assert.Single(await _scope.Service.ListAsync(), d => d.IsActive).Id);
        // The replaced catalog still reads: pages that were showing it keep working.
        Assert.NotEmpty(imported.Catalog.ReadAllBytes(imported.Catalog.Images[0]));
    }

    sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) { lock (this) report(value); }
    }
}
