using System.Globalization;
using System.Text.Json;
using CsvHelper;
using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Imaging;

/// <summary>
/// A data set made from another one's files without copying them (a re-split, <see cref="DatasetResplitter"/>): a
/// folder with <c>dataset.json</c> (where the files are, what was done, the source's content fingerprint) and
/// <c>manifest.csv</c> in the sample's columns (<c>path,split,label,subtype,width,height,md5</c>, the path as it is in
/// the source). <see cref="DatasetImporter.Open"/> reads such a folder like any data set.
/// </summary>
public static class DerivedDataset
{
    public const string DescriptionFile = "dataset.json", ManifestFile = "manifest.csv", Format = "pneumoniaportal-derived/1";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Whether the folder is a derived data set: a manifest, and a dataset.json of this format (a Kaggle folder with a
    /// manifest beside its splits, as the sample has, and a stray dataset.json of something else, is not).
    /// </summary>
    public static bool IsDerived(string folder) => File.Exists(Path.Combine(folder, ManifestFile)) && TryDescribe(folder) is not null;

    /// <summary>Writes the folder (made if missing; an earlier derived set in it is replaced, anything else refused).</summary>
    public static DerivedDatasetDescription Write(string folder, ImageCatalog source, ResplitResult result, ResplitSettings settings, string? name = null)
    {
        Directory.CreateDirectory(folder);
        // Never over an earlier set: runs already trained on it keep the splits they were made with.
        if (Directory.EnumerateFileSystemEntries(folder).Any())
            throw new DatasetLayoutException($"{folder} is not empty: choose an empty folder for the new data set.");
        var description = new DerivedDatasetDescription(Format, name ?? $"{Path.GetFileName(source.Source.TrimEnd('/', '\\'))} re-split ({settings})",
            source.Source, source.ContentFingerprint, settings, result.Counts, result.Groups, result.Moved, DateTimeOffset.UtcNow);
        using (var csv = CsvWriter.ToFile(Path.Combine(folder, ManifestFile), new CsvWriterOptions()))
        {
            csv.WriteRecord(["path", "split", "label", "subtype", "width", "height", "md5"]);
            foreach (var image in result.Images)
                csv.WriteRecord([
                    image.RelativePath, image.Split.ToString().ToLowerInvariant(), image.Label.ToString().ToUpperInvariant(), image.Subtype,
                    image.Width.ToString(CultureInfo.InvariantCulture), image.Height.ToString(CultureInfo.InvariantCulture), image.Md5,
                ]);
        }
        File.WriteAllText(Path.Combine(folder, DescriptionFile), JsonSerializer.Serialize(description, Json));
        return description;
    }

    public static DerivedDatasetDescription Describe(string folder) =>
        TryDescribe(folder) ?? throw new DatasetLayoutException($"{Path.Combine(folder, DescriptionFile)} does not describe a data set this version reads.");

    static DerivedDatasetDescription? TryDescribe(string folder)
    {
        var file = Path.Combine(folder, DescriptionFile);
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<DerivedDatasetDescription>(File.ReadAllText(file), Json) is { Format: Format, Source.Length: > 0 } description
                ? description
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// The derived data set: its source opened (and checked to hold the same files it was made from) with the manifest's
    /// splits. A manifest that names a file the source does not have, or with other bytes, is refused in words.
    /// </summary>
    public static ImageCatalog Open(string folder, IProgress<double>? progress = null, CancellationToken ct = default, ZipLimits? limits = null)
    {
        var description = Describe(folder);
        // One step only: a derived set's source is a data set of files, never another derived set (or itself).
        if (Directory.Exists(description.Source) && IsDerived(description.Source))
            throw new DatasetLayoutException($"{folder} is made from another derived data set; make the re-split from the original instead.");
        using var source = DatasetImporter.Open(description.Source, progress, ct, limits);
        if (source.ContentFingerprint != description.SourceFingerprint)
            throw new DatasetLayoutException(
                $"{description.Source} no longer holds the files this data set was made from (its content changed); make the re-split again.");
        var records = new List<ImageRecord>();
        using (var csv = CsvReader.FromFile(Path.Combine(folder, ManifestFile), new CsvReaderOptions { HasHeader = true, Separator = ',', NormalizeHeaderName = h => h.ToLowerInvariant() }))
        {
            while (csv.Read())
            {
                var path = csv.GetString("path");
                // Names only: "1" is no split, and a number cast to an enum is no label.
                if (!Enum.TryParse<Split>(csv.GetString("split"), ignoreCase: true, out var split) || !Enum.IsDefined(split) || int.TryParse(csv.GetString("split"), out _)
                    || !Enum.TryParse<Label>(csv.GetString("label"), ignoreCase: true, out var label) || !Enum.IsDefined(label) || int.TryParse(csv.GetString("label"), out _))
                    throw new DatasetLayoutException($"{ManifestFile}, row {csv.RowNumber}: the split must be train, val or test and the label NORMAL or PNEUMONIA.");
                var known = source.Find(path)
                    ?? throw new DatasetLayoutException($"{ManifestFile}, row {csv.RowNumber}: {description.Source} has no {path}.");
                records.Add(known with { Split = split, Label = label });
            }
        }
        return source.Derived(records);
    }
}
