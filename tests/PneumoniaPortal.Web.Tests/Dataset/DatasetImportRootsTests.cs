namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>
/// Folder imports read the server's disk: only admins may, only from inside the import roots, and every refused path
/// gets one answer, so nobody learns what exists outside them. Switching the data set every class works on is an
/// admin's; an instructor's upload is stored for an admin to switch to.
/// </summary>
public sealed class DatasetImportRootsTests : IDisposable
{
    readonly DatasetServiceScope _scope = new();
    readonly string _outside = Path.Combine(Path.GetTempPath(), "portal-outside-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        _scope.Dispose();
        try { Directory.Delete(_outside, recursive: true); } catch (IOException) { }
    }

    /// <summary>A real little data set, for a path that would import if it were allowed.</summary>
    static string Dataset(string folder, int perFolder = 2)
    {
        var zip = Path.Combine(folder, "set.zip");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(zip, DatasetTestData.KaggleZip(perFolder));
        return zip;
    }

    [Fact]
    public async Task An_instructor_cannot_import_a_server_folder_at_all()
    {
        var inside = Dataset(Path.Combine(_scope.Root, "good"));
        var e = await Assert.ThrowsAsync<Refusal>(() => _scope.Service.ImportFolderAsync(inside, DatasetServiceScope.Instructor));
        Assert.Equal(RefusalKind.Forbidden, e.Kind);
    }

    [Fact]
    public async Task Every_path_outside_the_roots_gets_the_same_answer_and_changes_nothing()
    {
        var before = await _scope.Service.GetDefaultAsync();
        var elsewhere = Dataset(_outside);
        Directory.CreateDirectory(Path.Combine(_scope.Root, "links"));
        File.CreateSymbolicLink(Path.Combine(_scope.Root, "links", "escape.zip"), elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(_scope.Root, "links", "etc"), "/etc");
        string[] refused =
        [
            "/", "/etc", "/etc/passwd", "/nonexistent/chest_xray", elsewhere, _outside,
            Path.Combine(_scope.Root, "missing-folder"), Path.Combine(_scope.Root, "..", Path.GetFileName(_outside)),
            Path.Combine(_scope.Root, "links", "escape.zip"), Path.Combine(_scope.Root, "links", "etc"), "",
        ];
        var messages = new HashSet<string>();
        foreach (var path in refused)
        {
            var e = await Assert.ThrowsAsync<Refusal>(() => _scope.Service.ImportFolderAsync(path, DatasetServiceScope.Admin));
            Assert.Equal(RefusalKind.Invalid, e.Kind);
            messages.Add(e.Message);
        }
        var only = Assert.Single(messages);
        Assert.Contains($"only from inside {_scope.Root}", only);
        Assert.Contains("Nothing was changed.", only);
        Assert.Same(before, await _scope.Service.GetDefaultAsync());
        Assert.Single(await _scope.Service.ListAsync());
    }

    [Fact]
    public async Task A_derived_data_set_inside_the_roots_whose_files_are_outside_them_gets_the_same_answer()
    {
        // A re-split written inside the roots, of a data set outside them: importing it would read files out there.
        // Enough children of each label for the re-split to put some of each in test.
        var outsideSet = Dataset(Path.Combine(_outside, "elsewhere"), perFolder: 4);
        using var source = PneumoniaPortal.Imaging.DatasetImporter.Open(outsideSet);
        var settings = new PneumoniaPortal.Core.Dataset.ResplitSettings(0.5, 0.25, 0.25, 1);
        var derived = Path.Combine(_scope.Root, "derived");
        PneumoniaPortal.Imaging.DerivedDataset.Write(derived, source, PneumoniaPortal.Core.Dataset.DatasetResplitter.Resplit(source.Images, settings), settings);
        var before = await _scope.Service.GetDefaultAsync();
        var e = await Assert.ThrowsAsync<Refusal>(() => _scope.Service.ImportFolderAsync(derived, DatasetServiceScope.Admin));
        Assert.Contains($"only from inside {_scope.Root}", e.Message);
        Assert.Same(before, await _scope.Service.GetDefaultAsync());
    }

    [Fact]
    public async Task An_admin_imports_from_inside_the_roots_and_it_is_added_without_becoming_the_default()
    {
        var before = await _scope.Service.GetDefaultAsync();
        var inside = Dataset(Path.Combine(_scope.Root, "good"));
        var result = await _scope.Service.ImportFolderAsync(inside, DatasetServiceScope.Admin);
        Assert.Equal((8, false), (result.Images, result.IsDefault));
        Assert.Same(before, await _scope.Service.GetDefaultAsync());
        Assert.Equal(8, (await _scope.Service.GetAsync(result.Id)).Catalog.Count);
    }

    [Fact]
    public async Task An_instructors_upload_is_stored_without_switching_every_class_and_only_an_admin_makes_it_the_default()
    {
        var before = await _scope.Service.GetDefaultAsync();
        var zip = DatasetTestData.KaggleZip(perFolder: 2);
        var result = await _scope.Service.ImportZipAsync(new MemoryStream(zip), "mine.zip", DatasetServiceScope.Instructor);
        Assert.Equal((8, false), (result.Images, result.IsDefault));
        Assert.Same(before, await _scope.Service.GetDefaultAsync());
        Assert.Contains(await _scope.Service.ListAsync(), d => d.Id == result.Id && !d.IsDefault && d.ImageCount == 8);

        var e = await Assert.ThrowsAsync<Refusal>(() => _scope.Service.MakeDefaultAsync(result.Id, DatasetServiceScope.Instructor));
        Assert.Equal(RefusalKind.Forbidden, e.Kind);
        Assert.Same(before, await _scope.Service.GetDefaultAsync());
        Assert.True((await _scope.Service.MakeDefaultAsync(result.Id, DatasetServiceScope.Admin)).IsDefault);
        Assert.Equal(result.Id, (await _scope.Service.GetDefaultAsync()).Id);
    }
}
