using System.Runtime.ExceptionServices;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Imaging;

namespace PneumoniaPortal.Training.Data;

/// <summary>
/// Every image of a catalog decoded once to 8-bit gray at one size, kept in one file per (data set, size) so epochs
/// and later runs never decode a JPEG again (docs/benchmarks.md measures it).
/// </summary>
public sealed class ImageCache
{
    const uint Magic = 0x50504331; // "PPC1"
    readonly Dictionary<string, int> _index;
    readonly byte[] _pixels;

    public int Size { get; }
    public int Count => _index.Count;
    /// <summary>Images that failed to decode when the cache was built; they are left out of training.</summary>
    public IReadOnlyList<CatalogProblem> Problems { get; }

    ImageCache(int size, Dictionary<string, int> index, byte[] pixels, IReadOnlyList<CatalogProblem> problems)
    {
        Size = size;
        _index = index;
        _pixels = pixels;
        Problems = problems;
    }

    public bool Contains(ImageRecord image) => _index.ContainsKey(image.RelativePath);

    public ReadOnlySpan<byte> Pixels(ImageRecord image)
    {
        if (!_index.TryGetValue(image.RelativePath, out var slot))
            throw new KeyNotFoundException($"{image.RelativePath} is not in the image cache.");
        var n = Size * Size;
        return _pixels.AsSpan(slot * n, n);
    }

    /// <summary>The default cache folder: <c>PORTAL_CACHE</c>, else the user's cache folder.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("PORTAL_CACHE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "pneumonia-portal", "cache");

    public static ImageCache Load(ImageCatalog catalog, int size, string? cacheDirectory = null,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        cacheDirectory ??= DefaultDirectory;
        Directory.CreateDirectory(cacheDirectory);
        // Keyed by the files, not their labels: every label version of a data set shares one decoded cache.
        var file = Path.Combine(cacheDirectory, $"{catalog.ContentFingerprint[..16]}-{size}px.gray");
        if (TryRead(file, catalog, size) is { } cached)
        {
            progress?.Report(1);
            return cached;
        }
        var built = Build(catalog, size, progress, ct);
        Write(file, built, catalog);
        return built;
    }

    static ImageCache Build(ImageCatalog catalog, int size, IProgress<double>? progress, CancellationToken ct)
    {
        var images = catalog.Images;
        var n = size * size;
        var pixels = new byte[(long)images.Count * n];
        var ok = new bool[images.Count];
        var errors = new string?[images.Count];
        var done = 0;
        // Plain threads, not Parallel.For: the cache is built on the training thread, whose lowered priority every
        // thread it starts inherits, and a thread-pool thread started there would serve pages at that priority for good.
        var next = -1;
        ExceptionDispatchInfo? failure = null;
        var workers = Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, images.Count))).Select(_ => new Thread(() =>
        {
            try
            {
                for (var i = Interlocked.Increment(ref next); i < images.Count && !ct.IsCancellationRequested && Volatile.Read(ref failure) is null; i = Interlocked.Increment(ref next))
                {
                    try
                    {
                        using var stream = catalog.OpenRead(images[i]);
                        var gray = ImageDecoder.DecodeGray(stream, size);
                        gray.CopyTo(pixels.AsSpan(i * n, n));
                        ok[i] = true;
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException)
                    {
                        errors[i] = e.Message;
                    }
                    var d = Interlocked.Increment(ref done);
                    if (d % 256 == 0) progress?.Report((double)d / images.Count);
                }
            }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null); }
        })
        { Name = "Image cache", IsBackground = true }).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        failure?.Throw();
        ct.ThrowIfCancellationRequested();
        progress?.Report(1);
        // Compact to the images that decoded, keeping catalog order.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<CatalogProblem>();
        var compact = new byte[(long)ok.Count(x => x) * n];
        var slot = 0;
        for (var i = 0; i < images.Count; i++)
        {
            if (!ok[i])
            {
                problems.Add(new CatalogProblem(images[i].RelativePath, errors[i] ?? "could not be decoded"));
                continue;
            }
            pixels.AsSpan(i * n, n).CopyTo(compact.AsSpan(slot * n, n));
            index[images[i].RelativePath] = slot++;
        }
        return new ImageCache(size, index, compact, problems);
    }

    static void Write(string file, ImageCache cache, ImageCatalog catalog)
    {
        var temp = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(catalog.Fingerprint);
            writer.Write(cache.Size);
            writer.Write(cache._index.Count);
            foreach (var (path, slot) in cache._index.OrderBy(kv => kv.Value)) writer.Write(path);
            writer.Write(cache.Problems.Count);
            foreach (var p in cache.Problems) { writer.Write(p.RelativePath); writer.Write(p.Message); }
            writer.Write(cache._pixels);
        }
        File.Move(temp, file, overwrite: true);
    }

    static ImageCache? TryRead(string file, ImageCatalog catalog, int size)
    {
        if (!File.Exists(file)) return null;
        try
        {
            using var stream = File.OpenRead(file);
            using var reader = new BinaryReader(stream);
            if (reader.ReadUInt32() != Magic || reader.ReadString() != catalog.Fingerprint || reader.ReadInt32() != size) return null;
            var count = reader.ReadInt32();
            var index = new Dictionary<string, int>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++) index[reader.ReadString()] = i;
            var problems = new List<CatalogProblem>();
            var nProblems = reader.ReadInt32();
            for (var i = 0; i < nProblems; i++) problems.Add(new CatalogProblem(reader.ReadString(), reader.ReadString()));
            var pixels = reader.ReadBytes(count * size * size);
            return pixels.Length == count * size * size ? new ImageCache(size, index, pixels, problems) : null;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
            return null; // a damaged cache is rebuilt
        }
    }
}
