using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Imaging;

/// <summary>
/// Reads a chest X-ray data set in the Kaggle / Mendeley layout from a folder or a zip into an
/// <see cref="ImageCatalog"/>: finds the folder holding train/test/val, reads every image's size from its header,
/// hashes its bytes, and reports (never throws for) files that cannot be used.
/// </summary>
public static class DatasetImporter
{
    /// <summary>Larger entries are not chest X-rays; refusing them also guards against zip bombs.</summary>
    const long MaxImageBytes = 256L << 20;

    /// <summary>
    /// Opens a data set folder or zip. Finds the shallowest folder (or zip prefix) holding train/, test/ or val/
    /// with NORMAL/ and PNEUMONIA/ inside, e.g. <c>chest_xray/</c> in the Kaggle zip, ignoring its nested
    /// <c>chest_xray/chest_xray/</c> copy and <c>__MACOSX/</c>.
    /// </summary>
    /// <param name="progress">Fraction of the images read so far, 0 to 1.</param>
    /// <param name="limits">What a zip may hold, checked before anything is unpacked; null for a zip already accepted
    /// (a training job re-opening the active data set must not fail because an operator changed the limits since).</param>
    /// <exception cref="DatasetLayoutException">The path is missing, not a folder or zip, holds no such layout, or breaks the limits.</exception>
    public static ImageCatalog Open(string folderOrZip, IProgress<double>? progress = null, CancellationToken ct = default, ZipLimits? limits = null)
    {
        if (string.IsNullOrWhiteSpace(folderOrZip))
            throw new DatasetLayoutException(
                "No data set was given. Choose the folder that holds train/ and test/, or the .zip downloaded from Kaggle.");
        var source = Path.GetFullPath(folderOrZip);
        if (Directory.Exists(source) && DerivedDataset.IsDerived(source)) return DerivedDataset.Open(source, progress, ct, limits);
        if (Directory.Exists(source)) return OpenFolder(source, progress, ct);
        if (File.Exists(source)) return OpenZip(source, progress, ct, limits);
        throw new DatasetLayoutException(
            $"{folderOrZip} does not exist. Choose the folder that holds train/ and test/, or the .zip downloaded from Kaggle.");
    }

    /// <summary>A file found in the source, by its '/'-separated path relative to the source.</summary>
    sealed record Found(string Path, int ZipIndex = -1, string? ZipName = null);

    sealed record Candidate(string RelativePath, Split Split, Label Label, Found File);

    static ImageCatalog OpenFolder(string source, IProgress<double>? progress, CancellationToken ct)
    {
        var files = new List<Found>();
        var directories = new List<string>();
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint, // no symlink loops
            MatchType = MatchType.Simple,
        };
        foreach (var info in new DirectoryInfo(source).EnumerateFileSystemInfos("*", options))
        {
            ct.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(source, info.FullName).Replace('\\', '/');
            if (KaggleLayout.IsJunk(relative)) continue;
            if (info is DirectoryInfo) directories.Add(relative);
            else files.Add(new Found(relative));
        }

        var root = FindLayoutRoot(source, directories, files);
        var (candidates, problems) = Classify(root, files, []);
        var images = new ConcurrentBag<ImageRecord>();
        var bad = new ConcurrentBag<CatalogProblem>();
        var counter = new ProgressCounter(progress, candidates.Count);
        Parallel.ForEach(candidates, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount },
            candidate =>
            {
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(Path.Combine(source, candidate.File.Path));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    bad.Add(new CatalogProblem(candidate.RelativePath, $"could not be read: {e.Message}"));
                    counter.Step();
                    return;
                }
                Inspect(candidate, bytes, images, bad);
                counter.Step();
            });
        counter.Done();
        return new ImageCatalog(source, root, isZip: false, images, SortProblems(problems.Concat(bad)));
    }

    static ImageCatalog OpenZip(string source, IProgress<double>? progress, CancellationToken ct, ZipLimits? limits)
    {
        var files = new List<Found>();
        var directories = new HashSet<string>(StringComparer.Ordinal);
        var refused = new List<CatalogProblem>();
        int entryCount;
        using (var archive = OpenArchive(source))
        {
            var entries = archive.Entries;
            entryCount = entries.Count;
            limits?.Check(source, entries);
            for (var i = 0; i < entries.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var name = entries[i].FullName;
                var path = name.Replace('\\', '/');
                if (LeavesArchive(path))
                {
                    refused.Add(new CatalogProblem(name,
                        "refused: this zip entry's path points outside the archive (\"..\" or an absolute path); it was not read"));
                    continue;
                }
                var isDirectory = path.EndsWith('/');
                // "a//b" and "./a/b" name the same file as "a/b".
                path = string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != "."));
                if (path.Length == 0 || KaggleLayout.IsJunk(path)) continue;
                // Zips often list files without their folders: every prefix of a file's path is a folder.
                for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                    directories.Add(path[..slash]);
                if (isDirectory) directories.Add(path);
                else files.Add(new Found(path, i, name));
            }
        }

        string root;
        try { root = FindLayoutRoot(source, directories, files); }
        catch (DatasetLayoutException e) when (refused.Count > 0)
        {
            throw new DatasetLayoutException(
                $"{e.Message} {refused.Count} entr{(refused.Count == 1 ? "y was" : "ies were")} refused because their paths point outside the archive (\"..\" or an absolute path), e.g. {refused[0].RelativePath}.", e);
        }
        var (candidates, problems) = Classify(root, files, refused);
        var images = new ConcurrentBag<ImageRecord>();
        var bad = new ConcurrentBag<CatalogProblem>();
        var counter = new ProgressCounter(progress, candidates.Count);
        var ordered = candidates.OrderBy(c => c.File.ZipIndex).ToArray(); // read the archive front to back
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, ordered.Length / 32));
        var ranges = System.Collections.Concurrent.Partitioner.Create(0, ordered.Length, Math.Max(16, ordered.Length / (workers * 8) + 1));
        // ZipArchive is not thread-safe: every worker opens its own reader on the same file.
        Parallel.ForEach(ranges, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = workers },
            () => ZipFile.OpenRead(source),
            (range, _, archive) =>
            {
                var entries = archive.Entries;
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    var candidate = ordered[i];
                    var entry = entries[candidate.File.ZipIndex];
                    if (ReadEntry(entry, candidate.RelativePath, bad) is { } bytes) Inspect(candidate, bytes, images, bad);
                    counter.Step();
                }
                return archive;
            },
            archive => archive.Dispose());
        counter.Done();

        var entryNames = candidates
            .Select(c => (c.RelativePath, Name: c.File.ZipName!, Expected: root.Length == 0 ? c.RelativePath : root + "/" + c.RelativePath))
            .Where(c => c.Name != c.Expected)
            .ToDictionary(c => c.RelativePath, c => c.Name, StringComparer.Ordinal);
        return new ImageCatalog(source, root, isZip: true, images, SortProblems(problems.Concat(bad)),
            entryNames.Count == 0 ? null : entryNames);
    }

    static ZipArchive OpenArchive(string source)
    {
        try
        {
            return ZipFile.OpenRead(source);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetLayoutException(
                $"{source} is a file but not a readable zip archive ({e.Message}). Choose a folder, or a .zip file such as the one downloaded from Kaggle.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetLayoutException($"{source} could not be opened: {e.Message}", e);
        }
    }

    static byte[]? ReadEntry(ZipArchiveEntry entry, string relativePath, ConcurrentBag<CatalogProblem> bad)
    {
        if (entry.Length > MaxImageBytes)
        {
            bad.Add(new CatalogProblem(relativePath, $"too large for a chest X-ray ({entry.Length / (1 << 20)} MiB); skipped"));
            return null;
        }
        try
        {
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or EndOfStreamException)
        {
            bad.Add(new CatalogProblem(relativePath, $"could not be read from the zip (damaged or encrypted entry): {e.Message}"));
            return null;
        }
    }

    static bool LeavesArchive(string path) =>
        path.StartsWith('/') || (path.Length >= 2 && path[1] == ':')
                             || path.Split('/').Any(part => part == "..");

    static void Inspect(Candidate candidate, byte[] bytes, ConcurrentBag<ImageRecord> images, ConcurrentBag<CatalogProblem> bad)
    {
        string? problem;
        int width, height;
        try
        {
            problem = ImageDecoder.Inspect(bytes, out width, out height);
        }
        catch (Exception e) // a decoder failure on one file must never stop the import
        {
            problem = $"not a readable image: {e.Message}";
            width = height = 0;
        }
        if (problem is not null)
        {
            bad.Add(new CatalogProblem(candidate.RelativePath, problem));
            return;
        }
        images.Add(new ImageRecord(candidate.RelativePath, candidate.Split, candidate.Label,
            KaggleLayout.SubtypeOf(candidate.RelativePath, candidate.Label), width, height,
            Convert.ToHexStringLower(MD5.HashData(bytes)), bytes.LongLength));
    }

    /// <summary>
    /// Sorts the files into image candidates (<c>root/split/LABEL/name.jpeg</c>), other files inside class folders
    /// (one problem each) and files outside the layout (one summary problem).
    /// </summary>
    static (List<Candidate> Candidates, List<CatalogProblem> Problems) Classify(
        string root, IEnumerable<Found> files, IEnumerable<CatalogProblem> earlier)
    {
        var candidates = new List<Candidate>();
        var problems = new List<CatalogProblem>(earlier);
        var outside = new List<string>();
        var prefix = root.Length == 0 ? "" : root + "/";
        foreach (var file in files)
        {
            if (!file.Path.StartsWith(prefix, StringComparison.Ordinal))
            {
                outside.Add(file.Path);
                continue;
            }
            var relative = file.Path[prefix.Length..];
            if (!KaggleLayout.TryParseImagePath(relative, out var split, out var label))
            {
                // manifest.csv, PROVENANCE.md, LICENSE beside the splits describe the data set: not worth a word.
                if (!relative.Contains('/') && !KaggleLayout.HasImageExtension(relative)) continue;
                outside.Add(file.Path);
                continue;
            }
            if (KaggleLayout.HasImageExtension(relative))
            {
                candidates.Add(new Candidate(relative, split, label, file));
                continue;
            }
            var extension = Path.GetExtension(relative);
            problems.Add(new CatalogProblem(relative,
                extension.Length == 0 ? "not an image file (no extension; expected .jpeg, .jpg or .png)"
                    : $"not an image file ({extension}); only .jpeg, .jpg and .png files are read"));
        }
        if (outside.Count > 0)
        {
            outside.Sort(StringComparer.Ordinal);
            var examples = string.Join(", ", outside.Take(3));
            var where = prefix + "{train,test,val}/{NORMAL,PNEUMONIA}/";
            problems.Add(new CatalogProblem("",
                $"{outside.Count} file(s) outside {where} were ignored, e.g. {examples}"));
        }
        return (candidates, problems);
    }

    /// <summary>The shallowest folder holding split/LABEL folders; among equals the one with the most images.</summary>
    static string FindLayoutRoot(string source, IEnumerable<string> directories, IReadOnlyCollection<Found> files)
    {
        var roots = new HashSet<string>(StringComparer.Ordinal);
        var splitFolders = new List<string>();
        foreach (var directory in directories)
        {
            var parts = directory.Split('/');
            if (parts.Length >= 2 && KaggleLayout.TryParseLabel(parts[^1], out _) && KaggleLayout.TryParseSplit(parts[^2], out _))
                roots.Add(string.Join('/', parts[..^2]));
            else if (parts.Length >= 1 && KaggleLayout.TryParseLabel(parts[^1], out _))
                splitFolders.Add(string.Join('/', parts[..^1]));
        }

        if (roots.Count == 0) throw NoLayout(source, files.Count, splitFolders);
        var depth = roots.Min(Depth);
        var shallowest = roots.Where(r => Depth(r) == depth).ToList();
        if (shallowest.Count == 1) return shallowest[0];
        return shallowest
            .OrderByDescending(r => files.Count(f => IsImageUnder(r, f.Path)))
            .ThenBy(r => r, StringComparer.Ordinal)
            .First();

        static int Depth(string root) => root.Length == 0 ? 0 : root.Count(c => c == '/') + 1;

        static bool IsImageUnder(string root, string path)
        {
            var prefix = root.Length == 0 ? "" : root + "/";
            return path.StartsWith(prefix, StringComparison.Ordinal)
                   && KaggleLayout.TryParseImagePath(path[prefix.Length..], out _, out _)
                   && KaggleLayout.HasImageExtension(path);
        }
    }

    static DatasetLayoutException NoLayout(string source, int fileCount, List<string> splitFolders)
    {
        var message = $"No chest_xray layout found in {source}: expected folders {KaggleLayout.ExpectedLayout}.";
        if (fileCount == 0 && splitFolders.Count == 0)
            message += " It holds no files.";
        else if (splitFolders.Count > 0)
        {
            var shallowest = splitFolders.OrderBy(f => f.Length).First();
            message += $" NORMAL/ and PNEUMONIA/ were found in '{(shallowest.Length == 0 ? "." : shallowest)}', "
                       + "which is not named train, test or val: choose the folder above the splits, or rename it.";
        }
        return new DatasetLayoutException(message);
    }

    static IEnumerable<CatalogProblem> SortProblems(IEnumerable<CatalogProblem> problems) =>
        problems.OrderBy(p => p.RelativePath, StringComparer.Ordinal).ThenBy(p => p.Message, StringComparer.Ordinal);

    /// <summary>Reports progress about a hundred times, whatever the number of images, from many threads.</summary>
    sealed class ProgressCounter(IProgress<double>? progress, int total)
    {
        readonly int _every = Math.Max(1, total / 100);
        int _done;

        public void Step()
        {
            if (progress is null) return;
            var done = Interlocked.Increment(ref _done);
            if (done % _every == 0 && done < total) progress.Report((double)done / total);
        }

        public void Done() => progress?.Report(1.0);
    }
}
