using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>
/// Every data set the portal knows, loaded on first use and kept: the portal's default (the one named by
/// <c>Dataset:Path</c>, else the one an admin made default, else the attributed sample shipped with the portal), each
/// class's own (<see cref="Data.Course.DatasetId"/>), and those runs were trained on. An import or a re-split adds a data
/// set and moves nobody; instructors choose one for their class, admins the portal's default.
/// </summary>
public sealed class DatasetService(IDbContextFactory<PortalDbContext> dbFactory, PortalPaths paths, IOptions<DatasetOptions> options, ILogger<DatasetService> log)
    : IPortalStartupStep, IDisposable
{
    readonly SemaphoreSlim _defaultGate = new(1, 1);
    readonly SemaphoreSlim _importGate = new(1, 1);
    // Pages and running jobs may still read a replaced catalog, so it is closed only when the portal stops.
    readonly List<ImageCatalog> _retired = [];
    // One load per data set: the first caller starts it, the others wait for the same task.
    readonly Dictionary<int, Task<LoadedDataset>> _loaded = [];
    int? _defaultId;

    /// <summary>
    /// Raised when a loaded data set moved to a new label version, or another became the portal's default, so open pages
    /// showing it (or following the default) can reload.
    /// </summary>
    public event Action<LoadedDataset>? Changed;

    public const string SampleName = "Shipped sample (820 images)";

    /// <summary>At start: the default data set is read now; when it cannot be, the start stops and says why (the original error).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try { await GetDefaultAsync(ct); }
        catch (Refusal e) when (e.InnerException is { } reason) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(reason); }
    }

    /// <summary>The portal's default data set: what classes that never chose one, and people in no class, work on.</summary>
    public async Task<LoadedDataset> GetDefaultAsync(CancellationToken ct = default) => await GetAsync(await DefaultIdAsync(ct), ct);

    /// <summary>Whether the portal's default data set is still the sample shipped with it.</summary>
    public async Task<bool> DefaultIsSampleAsync(CancellationToken ct = default) => await IsSampleAsync(await DefaultIdAsync(ct), ct);

    /// <summary>Whether this data set is the sample shipped with the portal (the home page then says how to import the full set).</summary>
    public async Task<bool> IsSampleAsync(int datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sample = SamplePath(paths);
        return await db.Datasets.AnyAsync(d => d.Id == datasetId && d.Path == sample, ct);
    }

    /// <summary>The id of the portal's default data set (its row is made on first use: the configured one, or the sample).</summary>
    public async Task<int> DefaultIdAsync(CancellationToken ct = default)
    {
        if (_defaultId is { } known) return known;
        await _defaultGate.WaitAsync(ct);
        try
        {
            return _defaultId ??= await FindDefaultAsync(ct);
        }
        finally { _defaultGate.Release(); }
    }

    async Task<int> FindDefaultAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var configured = options.Value.Path;
        ImportedDataset? row;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured, paths.ContentRoot);
            row = await db.Datasets.FirstOrDefaultAsync(d => d.Path == full, ct)
                ?? db.Datasets.Add(new ImportedDataset { Name = Path.GetFileName(full.TrimEnd('/')), Path = full, Origin = "configuration" }).Entity;
        }
        else
        {
            row = await db.Datasets.Where(d => d.IsDefault).OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
            if (row is null)
            {
                var sample = SamplePath(paths);
                row = await db.Datasets.FirstOrDefaultAsync(d => d.Path == sample, ct)
                    ?? db.Datasets.Add(new ImportedDataset { Name = SampleName, Path = sample, Origin = "sample shipped with the portal" }).Entity;
            }
        }
        // A portal upgraded from the 220-image sample names the new one by its size.
        if (row.Path == SamplePath(paths)) row.Name = SampleName;
        foreach (var other in await db.Datasets.Where(d => d.IsDefault && d.Id != row.Id).ToListAsync(ct)) other.IsDefault = false;
        row.IsDefault = true;
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    /// <summary>
    /// A data set the portal knows, at its newest label version: loaded (its files read, once, on a thread of the pool)
    /// the first time anyone asks, then kept.
    /// </summary>
    /// <exception cref="Refusal">No such data set, or its files can no longer be read (the reason is said).</exception>
    public Task<LoadedDataset> GetAsync(int datasetId, CancellationToken ct = default)
    {
        Task<LoadedDataset> loading;
        lock (_loaded)
        {
            if (!_loaded.TryGetValue(datasetId, out loading!))
            {
                _loaded[datasetId] = loading = Task.Run(() => LoadAsync(datasetId));
                // A load that failed is forgotten, so the next caller tries again (the folder may be back) and an id of
                // nothing leaves nothing behind.
                loading.ContinueWith(failed =>
                {
                    lock (_loaded)
                        if (_loaded.TryGetValue(datasetId, out var now) && now == failed) _loaded.Remove(datasetId);
                }, CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
            }
        }
        return loading.WaitAsync(ct);
    }

    /// <summary>The data sets loaded in this process (what <see cref="FollowAsync"/> keeps up to date).</summary>
    IReadOnlyList<LoadedDataset> Loaded()
    {
        lock (_loaded) return _loaded.Values.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
    }

    async Task<LoadedDataset> LoadAsync(int datasetId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var row = await db.Datasets.FirstOrDefaultAsync(d => d.Id == datasetId)
                  ?? throw Refusal.NotFound($"There is no data set number {datasetId}.");
        var started = DateTime.UtcNow;
        ImageCatalog catalog;
        try { catalog = DatasetImporter.Open(row.Path); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or DatasetLayoutException)
        {
            log.LogWarning("Data set {Id} at {Path} could not be read: {Error}", datasetId, row.Path, e.Message);
            throw new Refusal(RefusalKind.Invalid,
                $"The data set {row.Name} can no longer be read on the server. An instructor can choose another for the class, or an admin import it again.", e);
        }
        var stats = DatasetStatistics.From(catalog);
        if (row.ImageCount != catalog.Count || row.Fingerprint != catalog.Fingerprint)
        {
            row.ImageCount = catalog.Count;
            row.Fingerprint = catalog.Fingerprint;
            await db.SaveChangesAsync();
        }
        log.LogInformation("Data set '{Name}' ({Count} images) from {Path} loaded in {Seconds:F1} s", row.Name, catalog.Count, row.Path, (DateTime.UtcNow - started).TotalSeconds);
        return await WithNewestLabelsAsync(db, new LoadedDataset(row.Id, row.Name, catalog, stats) { IdKey = row.ImageIdKey }, default);
    }

    /// <summary>The 820-image attributed sample: copied next to the binaries, or in the repository when run from source.</summary>
    public static string SamplePath(PortalPaths paths)
    {
        foreach (var candidate in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "sample-data", "chest_xray_sample"),
                     Path.Combine(paths.ContentRoot, "..", "sample-data", "chest_xray_sample"),
                 })
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        throw new DirectoryNotFoundException("The sample data set shipped with the portal is missing (sample-data/chest_xray_sample).");
    }

    /// <summary>Every data set the portal knows, newest first, with its image count and whether it is active.</summary>
    public async Task<IReadOnlyList<ImportedDataset>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Datasets.AsNoTracking().OrderByDescending(d => d.Id).ToListAsync(ct);
    }

    /// <summary>
    /// An admin imports a folder or .zip in the Kaggle layout from the server, from inside one of
    /// <see cref="ImportRoots"/> only; it is added to the known data sets, and no class moves to it. Every path that is refused (outside the
    /// roots, missing, unreadable) gets one answer, so the form cannot be used to learn what the server holds.
    /// </summary>
    /// <exception cref="Refusal">Not an admin, or a path that is not inside the roots.</exception>
    /// <exception cref="DatasetLayoutException">Not a data set; nothing changes.</exception>
    public async Task<DatasetImportResult> ImportFolderAsync(string folderOrZip, Viewer by, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        if (!by.IsAdmin)
            throw Refusal.Forbidden("Only admins import data sets from folders on the server; upload the .zip instead. Nothing was changed.");
        var outside = Refusal.Invalid($"Data sets are imported only from inside {string.Join(" or ", ImportRoots)} on the server. " +
                                      "Copy the data set there and give its path. Nothing was changed.");
        var real = InsideImportRoots(folderOrZip) ?? throw outside;
        // A derived set reads its source's files: the source must be inside the roots too (one answer either way).
        if (Directory.Exists(real) && DerivedDataset.IsDerived(real))
        {
            try { _ = InsideImportRoots(DerivedDataset.Describe(real).Source) ?? throw outside; }
            catch (DatasetLayoutException) { throw outside; }
        }
        return await ImportAsync(real, null, "folder imported in the portal", by.Id, progress, ct);
    }

    /// <summary>
    /// Saves an uploaded .zip under the data sets folder, then imports it: it is added to the known data sets, for an
    /// instructor to choose for a class or an admin to make the default. When the zip is not a data set the saved file
    /// is deleted and nothing changes.
    /// </summary>
    /// <param name="progress">0 to 0.5 while the upload is saved, 0.5 to 1 while its images are read.</param>
    public async Task<DatasetImportResult> ImportZipAsync(Stream upload, string fileName, Viewer by,
        IProgress<double>? progress = null, long expectedBytes = 0, CancellationToken ct = default)
    {
        var target = StoredZipPath(fileName, by);
        try
        {
            await using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
            var buffer = new byte[1 << 20];
            long copied = 0;
            int read;
            while ((read = await upload.ReadAsync(buffer, ct)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                copied += read;
                if (expectedBytes > 0) progress?.Report(0.5 * Math.Min(1, (double)copied / expectedBytes));
            }
        }
        catch
        {
            TryDelete(target);
            throw;
        }
        return await ImportStoredZipAsync(target, fileName, by, progress is null ? null : new ScaledProgress(progress, p => 0.5 + p / 2), ct);
    }

    /// <summary>
    /// Imports a .zip that arrived in pieces (<see cref="DatasetUploads"/>): the file is moved, not copied, under the
    /// data sets folder, then read as an uploaded zip is.
    /// </summary>
    public async Task<DatasetImportResult> ImportUploadedAsync(string uploadedFile, string fileName, Viewer by,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var target = StoredZipPath(fileName, by);
        File.Move(uploadedFile, target);
        // Refused as busy, or cancelled: the upload goes back where it was, to be imported again without sending it again.
        return await ImportStoredZipAsync(target, fileName, by, progress, ct, keep: () => File.Move(target, uploadedFile));
    }

    /// <summary>Where an uploaded .zip is kept: a new name under the data sets folder (checked: staff, a .zip).</summary>
    string StoredZipPath(string fileName, Viewer by)
    {
        if (!by.IsStaff) throw Refusal.Forbidden("Only instructors and admins import data sets. Nothing was changed.");
        if (!fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            throw new DatasetLayoutException($"{fileName} is not a .zip file. Upload the .zip downloaded from Kaggle (chest_xray/train, test, val).");
        Directory.CreateDirectory(paths.DatasetsDirectory);
        var safe = SafeFilePart(Path.GetFileNameWithoutExtension(fileName));
        return Path.Combine(paths.DatasetsDirectory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}-{safe}.zip");
    }

    /// <summary>A name as part of a file name under the data sets folder: letters, digits, '-' and '_' only.</summary>
    static string SafeFilePart(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    /// <summary>Reads a .zip saved under the data sets folder; when it is not a data set the file is deleted and nothing changes.</summary>
    async Task<DatasetImportResult> ImportStoredZipAsync(string target, string fileName, Viewer by, IProgress<double>? progress, CancellationToken ct,
        Action? keep = null)
    {
        var imported = false;
        try
        {
            var result = await ImportAsync(target, Path.GetFileNameWithoutExtension(fileName), "zip uploaded in the portal", by.Id, progress, ct);
            imported = true;
            return result;
        }
        catch (DatasetLayoutException e) when (e.Message.Contains(Path.GetFileName(target), StringComparison.Ordinal))
        {
            // The user knows the file by the name they uploaded, not by where (or under which name) the portal saved it.
            var message = e.Message.Replace(target, fileName, StringComparison.Ordinal).Replace(Path.GetFileName(target), fileName, StringComparison.Ordinal);
            throw new DatasetLayoutException(message.EndsWith("Nothing was changed.") ? message : message + " Nothing was changed.", e);
        }
        catch (Exception e) when (keep is not null && e is Refusal { Kind: RefusalKind.Busy } or OperationCanceledException)
        {
            keep();
            imported = true; // kept, not imported: nothing to delete
            throw;
        }
        finally
        {
            if (!imported) TryDelete(target);
        }
    }

    /// <summary>
    /// Derives a data set from a known one by splitting it again (<see cref="DatasetResplitter"/>: each label in the
    /// fractions, a child on one side, seeded), as the second seed document does. The new set shares its source's files
    /// (a manifest under the data sets folder names them), takes the source's newest labels, is added like an import,
    /// and its page shows the counts before and after. Instructors and admins.
    /// </summary>
    public async Task<DatasetResplitResult> ResplitAsync(ResplitRequest request, Viewer by, CancellationToken ct = default)
    {
        if (!by.IsStaff) throw Refusal.Forbidden("Only instructors and admins derive data sets. Nothing was changed.");
        var settings = new ResplitSettings(request.Train, request.Validation, request.Test, request.Seed);
        if (settings.Validate() is { Count: > 0 } problems) throw new Refusal(RefusalKind.Invalid, problems);
        string sourceName;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            sourceName = await db.Datasets.Where(d => d.Id == request.SourceId).Select(d => d.Name).FirstOrDefaultAsync(ct)
                         ?? throw Refusal.NotFound("There is no such data set.");
        var source = (await GetAsync(request.SourceId, ct)).Catalog;
        var result = await Task.Run(() => DatasetResplitter.Resplit(source.Images, settings), ct);
        var name = string.IsNullOrWhiteSpace(request.Name) ? $"{sourceName}, re-split {settings.Train:0.##}/{settings.Validation:0.##}/{settings.Test:0.##} seed {settings.Seed}" : request.Name.Trim();
        if (name.Length > 120) throw Refusal.Invalid("A data set name has at most 120 characters.");
        var safe = SafeFilePart(name[..Math.Min(40, name.Length)]);
        var folder = Path.Combine(paths.DatasetsDirectory, "derived", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}-{safe}");
        var imported = false;
        try
        {
            DerivedDataset.Write(folder, source, result, settings, name);
            var stored = await ImportAsync(folder, name, $"re-split of {sourceName} ({settings})", by.Id, progress: null, ct);
            imported = true;
            log.LogInformation("{User} derived data set {Id} from {Source} ({Settings})", by.Id, stored.Id, request.SourceId, settings);
            return new DatasetResplitResult(stored, sourceName, settings, result.Counts, result.Groups, result.Moved);
        }
        finally
        {
            if (!imported && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// What a derived data set was made from and how its split compares with its source's (counts per split and
    /// label, held-back images included: for staff only); null for a data set that is not derived.
    /// </summary>
    /// <param name="forStaff">Whether the viewer is an instructor or admin (as <see cref="VisibleDataset.IsStaff"/> says).</param>
    public async Task<DerivedDatasetDescription?> DerivationAsync(int datasetId, bool forStaff, CancellationToken ct = default)
    {
        if (!forStaff) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var path = await db.Datasets.Where(d => d.Id == datasetId).Select(d => d.Path).FirstOrDefaultAsync(ct);
        return path is not null && Directory.Exists(path) && DerivedDataset.IsDerived(path) ? DerivedDataset.Describe(path) : null;
    }

    /// <summary>
    /// An admin makes a data set the portal knows its default: classes that never chose their own, and people in no
    /// class, work on it from now on. Its files are read first (when not in use already), so a set that can no longer be
    /// read is refused and the default stays as it was.
    /// </summary>
    public async Task<DatasetImportResult> MakeDefaultAsync(int datasetId, Viewer by, CancellationToken ct = default)
    {
        if (!by.IsAdmin) throw Refusal.Forbidden("Only admins choose the portal's default data set. Nothing was changed.");
        var loaded = await GetAsync(datasetId, ct);
        await _defaultGate.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            foreach (var row in await db.Datasets.Where(d => d.IsDefault || d.Id == datasetId).ToListAsync(ct)) row.IsDefault = row.Id == datasetId;
            await db.SaveChangesAsync(ct);
            _defaultId = datasetId;
        }
        finally { _defaultGate.Release(); }
        log.LogInformation("{User} made data set '{Name}' ({Id}) the portal's default", by.Id, loaded.Name, datasetId);
        Changed?.Invoke(loaded);
        return DatasetImportResult.Of(loaded, isDefault: true);
    }

    /// <summary>Where admins may import from: <c>Dataset:ImportRoots</c>, else <c>imports</c> in the data folder.</summary>
    public IReadOnlyList<string> ImportRoots =>
        options.Value.ImportRoots is { Length: > 0 } roots
            ? roots.Select(r => Path.GetFullPath(r, paths.ContentRoot)).ToArray()
            : [Path.Combine(paths.DataDirectory, "imports")];

    /// <summary>
    /// The real path (every symbolic link followed) of an existing folder or file inside one of the import roots, or
    /// null: outside them, missing, or unreadable all look the same.
    /// </summary>
    string? InsideImportRoots(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        try
        {
            var real = RealPath(Path.GetFullPath(path.Trim(), paths.ContentRoot));
            if (real is null || !(Directory.Exists(real) || File.Exists(real))) return null;
            foreach (var root in ImportRoots)
                if (RealPath(root) is { } realRoot && (real == realRoot || real.StartsWith(realRoot.TrimEnd('/') + "/", StringComparison.Ordinal)))
                    return real;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) { }
        return null;
    }

    /// <summary>The path with each symbolic link along it replaced by what it points to; null when a part does not exist.</summary>
    static string? RealPath(string full)
    {
        var current = Path.GetPathRoot(full) ?? "/";
        foreach (var part in full[current.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (!info.Exists) return null;
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists) return null;
                current = RealPath(target.FullName);
                if (current is null) return null;
            }
        }
        return current;
    }

    /// <summary>
    /// Reads a folder or .zip in the Kaggle layout and stores it as a known data set (nobody moves to it). A wrong
    /// layout or a set without readable images throws <see cref="DatasetLayoutException"/> and leaves everything as it
    /// was; another import under way is refused as busy. Importing a known path again reads its files again.
    /// </summary>
    async Task<DatasetImportResult> ImportAsync(string folderOrZip, string? name, string origin, string? userId,
        IProgress<double>? progress, CancellationToken ct)
    {
        if (!await _importGate.WaitAsync(0, ct))
            throw Refusal.Busy("Another data set is being imported right now; try again when it has finished.");
        try
        {
            var (catalog, stats) = await OpenCheckedAsync(folderOrZip, options.Value.ZipLimits, progress, ct);
            try
            {
                // What was imported, not where its files are: a derived set reads its source's files from its own folder.
                var full = Path.GetFullPath(folderOrZip);
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var row = await db.Datasets.FirstOrDefaultAsync(d => d.Path == full, ct)
                          ?? db.Datasets.Add(new ImportedDataset
                          {
                              Name = string.IsNullOrWhiteSpace(name) ? Path.GetFileName(full.TrimEnd('/')) : name.Trim(),
                              Path = full, Origin = origin, ImportedById = userId,
                          }).Entity;
                row.ImageCount = catalog.Count;
                row.Fingerprint = catalog.Fingerprint;
                await db.SaveChangesAsync(ct);
                // The files just read are the data set from now on, here: whoever uses it next does not read them again.
                var loaded = await WithNewestLabelsAsync(db, new LoadedDataset(row.Id, row.Name, catalog, stats) { IdKey = row.ImageIdKey }, ct);
                Task<LoadedDataset>? replaced;
                lock (_loaded)
                {
                    _loaded.TryGetValue(row.Id, out replaced);
                    _loaded[row.Id] = Task.FromResult(loaded);
                }
                // What was there (loaded, or still loading) is closed with the others when the portal stops.
                replaced?.ContinueWith(old => { lock (_retired) _retired.Add(old.Result.Catalog.Original); },
                    CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                log.LogInformation("Data set '{Name}' ({Count} images) from {Path} imported", row.Name, catalog.Count, full);
                if (replaced is not null) Changed?.Invoke(loaded);
                return DatasetImportResult.Of(loaded, row.IsDefault);
            }
            catch
            {
                catalog.Dispose();
                throw;
            }
        }
        finally { _importGate.Release(); }
    }

    static async Task<(ImageCatalog, DatasetStatistics)> OpenCheckedAsync(string folderOrZip, ZipLimits limits, IProgress<double>? progress, CancellationToken ct)
    {
        // Reading thousands of images is CPU work: keep it off the circuit's and the request's thread.
        return await Task.Run(() =>
        {
            ImageCatalog catalog;
            try { catalog = DatasetImporter.Open(folderOrZip, progress, ct, limits); }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new DatasetLayoutException($"{Path.GetFileName(folderOrZip)} could not be read as a data set: {e.Message}", e);
            }
            if (catalog.Count == 0)
            {
                catalog.Dispose();
                var why = catalog.Problems.Count > 0 ? $" ({catalog.Problems.Count} file(s) could not be used, e.g. {catalog.Problems[0].RelativePath}: {catalog.Problems[0].Message})" : "";
                throw new DatasetLayoutException($"{Path.GetFileName(folderOrZip)} holds no readable chest X-ray images{why}. Expected {KaggleLayout.ExpectedLayout}.");
            }
            return (catalog, DatasetStatistics.From(catalog));
        }, ct);
    }

    /// <summary>The data set with every accepted relabelling applied (unchanged when there is none).</summary>
    static async Task<LoadedDataset> WithNewestLabelsAsync(PortalDbContext db, LoadedDataset imported, CancellationToken ct)
    {
        var changes = await LabelChangesAsync(db, imported.Id, ct);
        if (changes.Count == 0) return imported;
        var version = changes.Max(c => c.Version);
        var catalog = imported.Catalog.Original.Relabelled(LabelVersions.Apply(imported.Catalog.Original.Images, changes, version));
        return new LoadedDataset(imported.Id, imported.Name, catalog, DatasetStatistics.From(catalog)) { LabelVersion = version, IdKey = imported.IdKey };
    }

    static async Task<IReadOnlyList<LabelChange>> LabelChangesAsync(PortalDbContext db, int datasetId, CancellationToken ct) =>
        (await db.LabelChanges.AsNoTracking().Where(c => c.DatasetId == datasetId).ToListAsync(ct))
            .Select(c => new LabelChange(c.Version, c.RelativePath, c.ToLabel, c.ToSubtype)).ToList();

    /// <summary>
    /// After a relabelling was accepted: the data set, when loaded here, moves to its newest label version and open
    /// pages are told.
    /// </summary>
    public async Task ReloadLabelsAsync(int datasetId, CancellationToken ct = default)
    {
        Task<LoadedDataset>? loading;
        lock (_loaded) _loaded.TryGetValue(datasetId, out loading);
        if (loading is not { IsCompletedSuccessfully: true }) return; // loaded later, it has the newest labels then
        var current = loading.Result;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newer = await WithNewestLabelsAsync(db, new LoadedDataset(current.Id, current.Name, current.Catalog.Original, current.Statistics) { IdKey = current.IdKey }, ct);
        lock (_loaded)
        {
            // Another reload got there first with something at least as new, or an import replaced the files meanwhile
            // (it read the newest labels itself): keep what is there.
            if (!_loaded.TryGetValue(datasetId, out var now) || !now.IsCompletedSuccessfully || now.Result.LabelVersion >= newer.LabelVersion
                || !ReferenceEquals(now.Result.Catalog.Original, current.Catalog.Original)) return;
            _loaded[datasetId] = Task.FromResult(newer);
        }
        log.LogInformation("Data set '{Name}' is now at label version {Version}", newer.Name, newer.LabelVersion);
        Changed?.Invoke(newer);
    }

    /// <summary>
    /// Follows what another portal node changed in the shared database: another default data set (made default there;
    /// its files are in the shared data folder) or a newer label version of a data set loaded here (a relabelling
    /// accepted there). A class's own data set needs nothing: it is read from the database on each request.
    /// </summary>
    public async Task FollowAsync(CancellationToken ct = default)
    {
        if (_defaultId is not { } current) return;
        int? defaultId;
        Dictionary<int, int> newest;
        Dictionary<int, string> fingerprints;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            defaultId = await db.Datasets.Where(d => d.IsDefault).OrderByDescending(d => d.Id).Select(d => (int?)d.Id).FirstOrDefaultAsync(ct);
            newest = await db.LabelChanges.GroupBy(c => c.DatasetId).Select(g => new { g.Key, Version = g.Max(c => c.Version) })
                .ToDictionaryAsync(g => g.Key, g => g.Version, ct);
            fingerprints = await db.Datasets.ToDictionaryAsync(d => d.Id, d => d.Fingerprint, ct);
        }
        foreach (var loaded in Loaded())
        {
            // Imported again there (other files at the same path): read again here, as a first use would.
            if (fingerprints.GetValueOrDefault(loaded.Id) is { Length: > 0 } fingerprint && fingerprint != loaded.Catalog.Original.Fingerprint)
            {
                Task<LoadedDataset>? stale;
                lock (_loaded)
                    if (_loaded.TryGetValue(loaded.Id, out stale) && stale.IsCompletedSuccessfully && stale.Result == loaded) _loaded.Remove(loaded.Id);
                    else stale = null;
                if (stale is null) continue;
                lock (_retired) _retired.Add(loaded.Catalog.Original);
                log.LogInformation("Data set {DatasetId} was imported again on another node; reading it again here", loaded.Id);
                Changed?.Invoke(await GetAsync(loaded.Id, ct));
            }
            else if (newest.GetValueOrDefault(loaded.Id) != loaded.LabelVersion)
                await ReloadLabelsAsync(loaded.Id, ct);
        }
        if (defaultId is { } id && id != current)
        {
            log.LogInformation("Another node made data set {DatasetId} the default; following it here too", id);
            var loaded = await GetAsync(id, ct);
            _defaultId = id;
            Changed?.Invoke(loaded);
        }
    }

    /// <summary>
    /// The catalog of any data set the portal knows, as imported (labels of version 0), from the loaded data sets, so
    /// results, compare and leaderboards of runs on an older data set do not read its files again on every request.
    /// Null when it can no longer be read.
    /// </summary>
    public async Task<ImageCatalog?> CatalogAsync(int datasetId, CancellationToken ct = default) =>
        (await FindAsync(datasetId, ct))?.Catalog.Original;

    /// <summary>
    /// <see cref="GetAsync"/> for a data set a record names (a run's, a proposal's): null when it no longer exists or can
    /// no longer be read, for callers that then show nothing of it.
    /// </summary>
    public async Task<LoadedDataset?> FindAsync(int datasetId, CancellationToken ct = default)
    {
        try { return await GetAsync(datasetId, ct); }
        catch (Refusal) { return null; }
    }

    /// <summary>The images of a data set with the labels of one label version (for training on that version).</summary>
    async Task<IReadOnlyList<ImageRecord>> ImagesAtAsync(int datasetId, ImageCatalog catalog, int version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return LabelVersions.Apply(catalog.Original.Images, await LabelChangesAsync(db, datasetId, ct), version);
    }

    /// <summary>
    /// The images a run trains on: the data set it was set up on with the labels of the version it was started with,
    /// whatever the newest labels are now. Throws when that data set can no longer be read; the run then fails with the
    /// reason.
    /// </summary>
    public async Task<RunCatalog> OpenForRunAsync(TrainingRun run, CancellationToken ct = default)
    {
        var dataset = await GetAsync(run.DatasetId, ct);
        if (run.LabelVersion == dataset.LabelVersion) return new RunCatalog(dataset.Catalog);
        var relabelled = dataset.Catalog.Original.Relabelled(await ImagesAtAsync(run.DatasetId, dataset.Catalog, run.LabelVersion, ct));
        return new RunCatalog(relabelled, relabelled);
    }

    /// <summary>Passes progress on at once, rescaled (Progress&lt;T&gt; would post it later, possibly out of order).</summary>
    sealed class ScaledProgress(IProgress<double> outer, Func<double, double> scale) : IProgress<double>
    {
        public void Report(double value) => outer.Report(scale(value));
    }

    static void TryDelete(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        foreach (var loaded in Loaded()) loaded.Catalog.Original.Dispose();
        lock (_retired) foreach (var old in _retired) old.Dispose();
        _defaultGate.Dispose();
        _importGate.Dispose();
    }
}
