using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace PneumoniaPortal.Core.Dataset;

/// <summary>
/// The images of one data set as found in a folder or a zip: what they are (split, label, size, md5), what could not
/// be used, and a way to read each one back. Built by <c>DatasetImporter.Open</c>, or from records in memory.
/// Safe to read from many threads at once.
/// </summary>
public sealed class ImageCatalog : IDisposable
{
    readonly IReadOnlyDictionary<string, string>? _zipEntryNames;
    readonly Dictionary<string, ImageRecord> _byPath;
    readonly ConcurrentBag<ZipArchive> _zipReaders = new();
    readonly Lazy<string> _fingerprint;
    readonly Lazy<string> _contentFingerprint;
    volatile bool _disposed;

    /// <summary>A catalog over records already known, e.g. from a manifest or a test.</summary>
    /// <param name="source">The folder or .zip the images live in.</param>
    /// <param name="layoutRoot">Folder inside <paramref name="source"/> (zip: entry prefix) holding train/test/val; "" for the top.</param>
    public ImageCatalog(string source, string layoutRoot, bool isZip,
        IEnumerable<ImageRecord> images, IEnumerable<CatalogProblem>? problems = null)
        : this(source, layoutRoot, isZip, images, problems, zipEntryNames: null) { }

    internal ImageCatalog(string source, string layoutRoot, bool isZip, IEnumerable<ImageRecord> images,
        IEnumerable<CatalogProblem>? problems, IReadOnlyDictionary<string, string>? zipEntryNames)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(images);
        Source = source;
        LayoutRoot = (layoutRoot ?? "").Replace('\\', '/').Trim('/');
        IsZip = isZip;
        var sorted = images.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToArray();
        _byPath = new Dictionary<string, ImageRecord>(sorted.Length, StringComparer.Ordinal);
        foreach (var image in sorted)
        {
            if (!_byPath.TryAdd(image.RelativePath, image))
                throw new ArgumentException($"The image {image.RelativePath} is listed twice.", nameof(images));
        }
        Images = sorted;
        Problems = (problems ?? []).ToArray();
        _zipEntryNames = zipEntryNames;
        _fingerprint = new Lazy<string>(() => ComputeFingerprint(Images, withLabels: true));
        _contentFingerprint = new Lazy<string>(() => ComputeFingerprint(Images, withLabels: false));
        Original = this;
    }

    /// <summary>
    /// The same files with other labels (a label version): reads the same bytes, keeps <see cref="Original"/> pointing
    /// at the catalog as imported. Every path must be one of this catalog's.
    /// </summary>
    public ImageCatalog Relabelled(IEnumerable<ImageRecord> images) =>
        new(Source, LayoutRoot, IsZip, Known(images), Problems, _zipEntryNames) { Original = Original };

    /// <summary>
    /// A data set made of this one's files with other splits (a re-split): reads the same bytes, and is its own
    /// <see cref="Original"/>. Every path must be one of this catalog's.
    /// </summary>
    public ImageCatalog Derived(IEnumerable<ImageRecord> images) =>
        new(Source, LayoutRoot, IsZip, Known(images), Problems, _zipEntryNames);

    List<ImageRecord> Known(IEnumerable<ImageRecord> images)
    {
        var list = images.ToList();
        foreach (var image in list)
            if (Find(image.RelativePath) is not { } known || known.Md5 != image.Md5)
                throw new ArgumentException($"{image.RelativePath} is not an image of this catalog.", nameof(images));
        return list;
    }

    /// <summary>The catalog with the labels as imported (itself unless this is a <see cref="Relabelled"/> copy).</summary>
    public ImageCatalog Original { get; private init; }

    /// <summary>An in-memory catalog (no files behind it), for statistics and tests.</summary>
    public static ImageCatalog FromRecords(IEnumerable<ImageRecord> images, IEnumerable<CatalogProblem>? problems = null) =>
        new("(in memory)", "", false, images, problems);

    /// <summary>The folder or .zip the user gave.</summary>
    public string Source { get; }

    /// <summary>Folder inside <see cref="Source"/> (or zip entry prefix, "" at the top) that holds train/test/val.</summary>
    public string LayoutRoot { get; }

    public bool IsZip { get; }

    /// <summary>Sorted by <see cref="ImageRecord.RelativePath"/> (ordinal); paths use '/' and are relative to <see cref="LayoutRoot"/>.</summary>
    public IReadOnlyList<ImageRecord> Images { get; }

    /// <summary>
    /// Files that could not be used. A problem's path is relative to <see cref="LayoutRoot"/> like the images'; a
    /// refused zip entry keeps its name in the zip; the one summary of files outside the layout has an empty path.
    /// </summary>
    public IReadOnlyList<CatalogProblem> Problems { get; }

    /// <summary>
    /// Lower-case hex SHA-256 over (RelativePath, Md5, Label) of every image in path order: the same images with the
    /// same labels give the same fingerprint wherever they are stored, so it can key caches of decoded tensors.
    /// </summary>
    public string Fingerprint => _fingerprint.Value;

    /// <summary>Like <see cref="Fingerprint"/> without the labels: the same files, whatever their label version (keys pixel caches).</summary>
    public string ContentFingerprint => _contentFingerprint.Value;

    public int Count => Images.Count;

    public IEnumerable<ImageRecord> InSplit(Split split) => Images.Where(i => i.Split == split);

    public ImageRecord? Find(string relativePath) =>
        _byPath.TryGetValue(relativePath.Replace('\\', '/'), out var image) ? image : null;

    /// <summary>Where the image lives on disk (folder catalogs only).</summary>
    public string FullPathOf(ImageRecord image)
    {
        if (IsZip) throw new InvalidOperationException($"{image.RelativePath} is inside the zip {Source}; use OpenRead.");
        return LayoutRoot.Length == 0
            ? Path.Combine(Source, image.RelativePath)
            : Path.Combine(Source, LayoutRoot, image.RelativePath);
    }

    /// <summary>
    /// Opens the image's bytes for reading; the caller disposes the stream. For a zip the entry is decompressed into
    /// memory, so the stream is seekable and independent of other readers.
    /// </summary>
    public Stream OpenRead(ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!IsZip) return new FileStream(FullPathOf(image), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var bytes = ReadZipEntry(EntryNameOf(image));
        return new MemoryStream(bytes, writable: false);
    }

    public byte[] ReadAllBytes(ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return IsZip ? ReadZipEntry(EntryNameOf(image)) : File.ReadAllBytes(FullPathOf(image));
    }

    /// <summary>Closes the zip readers kept for <see cref="OpenRead"/>; later reads still work, opening the zip each time.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_zipReaders.TryTake(out var archive)) archive.Dispose();
    }

    string EntryNameOf(ImageRecord image)
    {
        if (_zipEntryNames is not null && _zipEntryNames.TryGetValue(image.RelativePath, out var name)) return name;
        return LayoutRoot.Length == 0 ? image.RelativePath : LayoutRoot + "/" + image.RelativePath;
    }

    byte[] ReadZipEntry(string entryName)
    {
        // ZipArchive is not thread-safe: each reader is used by one thread at a time and handed back to the pool.
        var archive = _zipReaders.TryTake(out var pooled) ? pooled : ZipFile.OpenRead(Source);
        var keep = false;
        try
        {
            var entry = archive.GetEntry(entryName)
                        ?? throw new FileNotFoundException($"{entryName} is no longer in the zip {Source}.", entryName);
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            keep = !_disposed;
            return bytes;
        }
        finally
        {
            if (keep)
            {
                _zipReaders.Add(archive);
                if (_disposed) Dispose(); // Dispose ran while this reader was out
            }
            else archive.Dispose();
        }
    }

    static string ComputeFingerprint(IReadOnlyList<ImageRecord> images, bool withLabels)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        foreach (var image in images)
        {
            line.Clear().Append(image.RelativePath).Append('\t').Append(image.Md5.ToLowerInvariant());
            if (withLabels) line.Append('\t').Append(image.Label == Label.Normal ? "NORMAL" : "PNEUMONIA");
            line.Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
