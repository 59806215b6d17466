using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace PneumoniaPortal.Core.Dataset;

/// <summary>
/// What a student should know about a data set before training on it: how many images of each class per split,
/// how unbalanced the classes are, how big the images are, which files are byte-identical (and whether such
/// duplicates disagree on the label or leak across splits), and the class weights that would balance training.
/// Plain data: serialises with System.Text.Json and never holds NaN or infinity.
/// </summary>
public sealed record DatasetStatistics(
    string Source,
    string Fingerprint,
    int TotalImages,
    int TotalNormal,
    int TotalPneumonia,
    IReadOnlyList<SplitCounts> Splits,
    IReadOnlyDictionary<string, int> Subtypes,
    SizeDistribution Widths,
    SizeDistribution Heights,
    ImageExtent? Smallest,
    ImageExtent? Biggest,
    IReadOnlyList<DuplicateGroup> DuplicateGroups,
    BalancedClassWeights? TrainClassWeights,
    int ProblemCount)
{
    /// <summary>Share of PNEUMONIA images over the whole set (0 for an empty set).</summary>
    public double PneumoniaFraction => TotalImages == 0 ? 0 : (double)TotalPneumonia / TotalImages;

    /// <summary>Files that have at least one byte-identical twin (all members of all groups).</summary>
    public int DuplicateFiles => DuplicateGroups.Sum(g => g.Paths.Count);

    public int DuplicateGroupsWithConflictingLabels => DuplicateGroups.Count(g => g.LabelsConflict);

    /// <summary>Groups whose copies sit in different splits: the model is tested on images it trained on.</summary>
    public int DuplicateGroupsAcrossSplits => DuplicateGroups.Count(g => g.SpansSplits);

    /// <summary>The counts of one split; all zero when the data set has no such split.</summary>
    public SplitCounts CountsFor(Split split) =>
        Splits.FirstOrDefault(s => s.Split == split) ?? new SplitCounts(split, 0, 0, 0, 0, 0);

    public static DatasetStatistics From(ImageCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var images = catalog.Images;

        var splits = images.GroupBy(i => i.Split).OrderBy(g => g.Key)
            .Select(g => new SplitCounts(g.Key,
                Normal: g.Count(i => i.Label == Label.Normal),
                Pneumonia: g.Count(i => i.Label == Label.Pneumonia),
                Bacteria: g.Count(i => i.Label == Label.Pneumonia && i.Subtype == SubtypeNames.Bacteria),
                Virus: g.Count(i => i.Label == Label.Pneumonia && i.Subtype == SubtypeNames.Virus),
                UnknownSubtype: g.Count(i => i.Label == Label.Pneumonia
                                             && i.Subtype is not (SubtypeNames.Bacteria or SubtypeNames.Virus))))
            .ToArray();

        var subtypes = new SortedDictionary<string, int>(StringComparer.Ordinal)
        {
            [SubtypeNames.Normal] = 0, [SubtypeNames.Bacteria] = 0, [SubtypeNames.Virus] = 0,
        };
        foreach (var image in images)
            subtypes[image.Subtype] = subtypes.GetValueOrDefault(image.Subtype) + 1;

        // Ties go to the first path, so the answer does not depend on the order of the catalog.
        var smallest = images.OrderBy(i => (long)i.Width * i.Height).ThenBy(i => i.RelativePath, StringComparer.Ordinal).FirstOrDefault();
        var biggest = images.OrderByDescending(i => (long)i.Width * i.Height).ThenBy(i => i.RelativePath, StringComparer.Ordinal).FirstOrDefault();
        ImageExtent? Extent(ImageRecord? i) => i is null ? null : new ImageExtent(i.RelativePath, i.Width, i.Height);

        var duplicates = images
            .GroupBy(i => i.Md5.ToLowerInvariant())
            .Where(g => g.Count() > 1)
            .Select(g => new DuplicateGroup(g.Key,
                g.Select(i => i.RelativePath).OrderBy(p => p, StringComparer.Ordinal).ToArray(),
                LabelsConflict: g.Select(i => i.Label).Distinct().Count() > 1,
                SpansSplits: g.Select(i => i.Split).Distinct().Count() > 1))
            .OrderBy(d => d.Paths[0], StringComparer.Ordinal)
            .ToArray();

        var train = splits.FirstOrDefault(s => s.Split == Split.Train);
        BalancedClassWeights? weights = null;
        if (train is { Normal: > 0, Pneumonia: > 0 })
        {
            var (normal, pneumonia) = ClassWeights.Balanced(train.Normal, train.Pneumonia);
            weights = new BalancedClassWeights(normal, pneumonia);
        }

        return new DatasetStatistics(
            catalog.Source,
            catalog.Fingerprint,
            images.Count,
            images.Count(i => i.Label == Label.Normal),
            images.Count(i => i.Label == Label.Pneumonia),
            splits,
            subtypes,
            SizeDistribution.Of(images.Select(i => i.Width)),
            SizeDistribution.Of(images.Select(i => i.Height)),
            Extent(smallest),
            Extent(biggest),
            duplicates,
            weights,
            catalog.Problems.Count);
    }

    /// <summary>A plain-text report: counts table, class balance, image sizes, duplicates, class weights.</summary>
    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var t = new StringBuilder();
        t.AppendLine(c, $"Data set: {Source}");
        t.AppendLine(c, $"{TotalImages} images ({TotalNormal} NORMAL, {TotalPneumonia} PNEUMONIA), {ProblemCount} problem(s)");
        t.AppendLine();

        t.AppendLine(c, $"{"split",-6} {"NORMAL",7} {"PNEUMONIA",10} {"bacteria",9} {"virus",6} {"total",6} {"% PNEUMONIA",12}");
        foreach (var s in Splits)
            Row(KaggleLayout.FolderName(s.Split), s.Normal, s.Pneumonia, s.Bacteria, s.Virus, s.Total, s.PneumoniaFraction);
        Row("all", TotalNormal, TotalPneumonia, Splits.Sum(s => s.Bacteria), Splits.Sum(s => s.Virus), TotalImages,
            PneumoniaFraction);
        var unknown = Splits.Sum(s => s.UnknownSubtype);
        if (unknown > 0) t.AppendLine(c, $"({unknown} PNEUMONIA image(s) name neither bacteria nor virus.)");
        t.AppendLine();

        t.AppendLine("Class balance:");
        foreach (var s in Splits)
        {
            var ratio = s.Normal == 0 ? "no NORMAL images" : $"{(double)s.Pneumonia / s.Normal:0.00} PNEUMONIA per NORMAL";
            t.AppendLine(c, $"  {KaggleLayout.FolderName(s.Split),-6} {s.PneumoniaFraction:P1} PNEUMONIA ({ratio})");
        }
        if (TrainClassWeights is { } w)
            t.AppendLine(c, $"  balanced class weights for train: NORMAL {w.Normal:0.000}, PNEUMONIA {w.Pneumonia:0.000}");
        else
            t.AppendLine("  balanced class weights for train: not available (train needs images of both classes)");
        t.AppendLine();

        t.AppendLine("Image sizes (pixels):");
        SizeLine("width", Widths);
        SizeLine("height", Heights);
        if (Smallest is { } small) t.AppendLine(c, $"  smallest: {small.RelativePath} ({small.Width}x{small.Height})");
        if (Biggest is { } big) t.AppendLine(c, $"  biggest:  {big.RelativePath} ({big.Width}x{big.Height})");
        t.AppendLine();

        t.AppendLine(c, $"Duplicates (byte-identical files): {DuplicateGroups.Count} group(s), {DuplicateFiles} files; "
                        + $"{DuplicateGroupsWithConflictingLabels} with conflicting labels, "
                        + $"{DuplicateGroupsAcrossSplits} across splits (leakage)");
        const int shown = 10;
        foreach (var g in DuplicateGroups.Take(shown))
        {
            var notes = (g.LabelsConflict ? " [labels conflict]" : "") + (g.SpansSplits ? " [across splits]" : "");
            t.AppendLine(c, $"  {string.Join(" = ", g.Paths)}{notes}");
        }
        if (DuplicateGroups.Count > shown) t.AppendLine(c, $"  ... and {DuplicateGroups.Count - shown} more");
        return t.ToString();

        void Row(string name, int normal, int pneumonia, int bacteria, int virus, int total, double fraction) =>
            t.AppendLine(c, $"{name,-6} {normal,7} {pneumonia,10} {bacteria,9} {virus,6} {total,6} {fraction,12:P1}");

        void SizeLine(string name, SizeDistribution d)
        {
            t.AppendLine(c, $"  {name,-6} min {d.Min}, median {d.Median:0.#}, max {d.Max}");
            foreach (var bin in d.Histogram)
                t.AppendLine(c, $"    {bin.Label,-11} {bin.Count,6}");
        }
    }
}

/// <summary>Image counts of one split, by label and by pneumonia subtype.</summary>
public sealed record SplitCounts(
    [property: JsonConverter(typeof(JsonStringEnumConverter<Split>))] Split Split,
    int Normal,
    int Pneumonia,
    int Bacteria,
    int Virus,
    int UnknownSubtype)
{
    public int Total => Normal + Pneumonia;

    /// <summary>Share of PNEUMONIA images in this split (0 when the split is empty).</summary>
    public double PneumoniaFraction => Total == 0 ? 0 : (double)Pneumonia / Total;
}

/// <summary>Loss weights from <see cref="ClassWeights.Balanced"/>.</summary>
public sealed record BalancedClassWeights(double Normal, double Pneumonia);

/// <summary>One image named with its size, e.g. the smallest of a data set.</summary>
public sealed record ImageExtent(string RelativePath, int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}

/// <summary>Byte-identical files (same md5). Paths are sorted.</summary>
/// <param name="LabelsConflict">The copies carry different labels: at least one of them is mislabelled.</param>
/// <param name="SpansSplits">The copies sit in different splits: leakage between train and test.</param>
public sealed record DuplicateGroup(string Md5, IReadOnlyList<string> Paths, bool LabelsConflict, bool SpansSplits);

/// <summary>One bar of a size histogram: values from <see cref="From"/> up to but not including <see cref="To"/>.</summary>
public sealed record HistogramBin(int From, int To, int Count)
{
    public string Label => To - From == 1 ? From.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{From}-{To - 1}");
}

/// <summary>How one image dimension (width or height) is spread over a data set.</summary>
public sealed record SizeDistribution(int Min, double Median, int Max, IReadOnlyList<HistogramBin> Histogram)
{
    public static SizeDistribution Empty { get; } = new(0, 0, 0, []);

    /// <summary>Min, median, max and a histogram of about ten bins of a round width (1, 2 or 5 times a power of ten).</summary>
    public static SizeDistribution Of(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return Empty;
        int min = sorted[0], max = sorted[^1], n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double)sorted[n / 2]) / 2;

        var step = NiceStep((max - min + 1) / 10.0);
        var start = min / step * step;
        var bins = new List<HistogramBin>();
        var index = 0;
        for (long from = start; from <= max; from += step)
        {
            var to = (int)Math.Min(from + step, int.MaxValue);
            var count = 0;
            while (index < n && sorted[index] < to) { count++; index++; }
            bins.Add(new HistogramBin((int)from, to, count));
        }
        return new SizeDistribution(min, median, max, bins);
    }

    static int NiceStep(double raw)
    {
        if (raw <= 1) return 1;
        var power = 1L;
        while (true)
        {
            foreach (var m in new[] { 1, 2, 5 })
                if (m * power >= raw) return (int)Math.Min(m * power, int.MaxValue / 2);
            power *= 10;
        }
    }
}
