using System.Diagnostics;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Tests.Shared;
using Xunit.Abstractions;

namespace PneumoniaPortal.Imaging.Tests;

/// <summary>The importer on real chest X-rays: the full set where it is present, else the sample shipped in the repo.</summary>
public class RealDataSetTests(ITestOutputHelper output)
{
    static Dictionary<string, string[]> ReadManifest(string root) =>
        File.ReadLines(Path.Combine(root, "manifest.csv")).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(fields => fields[0], StringComparer.Ordinal);

    [Fact]
    public void The_data_set_imports_with_the_known_counts_and_no_problems()
    {
        var watch = Stopwatch.StartNew();
        using var catalog = DatasetImporter.Open(TestData.Root);
        output.WriteLine($"Imported {catalog.Images.Count} images from {TestData.Root} in {watch.Elapsed.TotalSeconds:0.00} s on {Environment.ProcessorCount} cores");
        var stats = DatasetStatistics.From(catalog);
        output.WriteLine(stats.ToText());

        Assert.Empty(catalog.Problems);
        Assert.Equal("", catalog.LayoutRoot);
        var train = stats.CountsFor(Split.Train);
        var test = stats.CountsFor(Split.Test);
        if (TestData.IsFullSet)
        {
            Assert.Equal(5840, stats.TotalImages);
            Assert.Equal(new SplitCounts(Split.Train, 1341, 3875, 2530, 1345, 0), train);
            Assert.Equal(new SplitCounts(Split.Test, 234, 390, 242, 148, 0), test);
            Assert.Equal(30, stats.DuplicateGroups.Count);
            Assert.All(stats.DuplicateGroups, g => Assert.False(g.LabelsConflict || g.SpansSplits));
        }
        else
        {
            Assert.Equal(820, stats.TotalImages);
            Assert.Equal(new SplitCounts(Split.Train, 340, 340, 203, 137, 0), train);
            Assert.Equal(new SplitCounts(Split.Test, 70, 70, 48, 22, 0), test);
            Assert.Empty(stats.DuplicateGroups);
        }
        Assert.Equal(0, stats.CountsFor(Split.Val).Total);
        Assert.All(catalog.Images, i => Assert.Equal((224, 224), (i.Width, i.Height)));
        Assert.Equal(new SizeDistribution(224, 224, 224, [new HistogramBin(224, 225, stats.TotalImages)]).Histogram, stats.Widths.Histogram);
    }

    [Fact]
    public void Every_imported_image_matches_the_manifest()
    {
        using var catalog = DatasetImporter.Open(TestData.Root);
        var manifest = ReadManifest(TestData.Root);

        Assert.Equal(manifest.Keys.Order(StringComparer.Ordinal), catalog.Images.Select(i => i.RelativePath));
        foreach (var image in catalog.Images)
        {
            var row = manifest[image.RelativePath];
            Assert.Equal(row[1], KaggleLayout.FolderName(image.Split));
            Assert.Equal(row[2], KaggleLayout.FolderName(image.Label));
            Assert.Equal(row[3], image.Subtype);
            Assert.Equal((int.Parse(row[4]), int.Parse(row[5])), (image.Width, image.Height));
            Assert.Equal(row[6], image.Md5);
        }
    }

    [Fact]
    public void The_shipped_sample_is_820_images_of_whole_children_with_its_manifest_and_attribution()
    {
        var root = TestData.SampleRoot;
        using var catalog = DatasetImporter.Open(root);
        var stats = DatasetStatistics.From(catalog);
        var manifest = ReadManifest(root);

        Assert.Empty(catalog.Problems);
        Assert.Equal(new SplitCounts(Split.Train, 340, 340, 203, 137, 0), stats.CountsFor(Split.Train));
        Assert.Equal(new SplitCounts(Split.Test, 70, 70, 48, 22, 0), stats.CountsFor(Split.Test));
        Assert.Empty(stats.DuplicateGroups);
        Assert.Equal(catalog.Images.Select(i => i.Md5), catalog.Images.Select(i => manifest[i.RelativePath][6]));
        Assert.True(catalog.Images.Sum(i => i.Bytes) < 10_000_000, "the sample must stay under 10 MB");
        // Whole patients: no child has images on both sides of the sample's train/test split.
        var sides = catalog.Images.Where(i => KaggleLayout.PatientOf(i.RelativePath) is not null)
            .GroupBy(i => KaggleLayout.PatientOf(i.RelativePath)).Where(g => g.Select(i => i.Split).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(sides);

        var provenance = File.ReadAllText(Path.Combine(root, "PROVENANCE.md"));
        Assert.Contains("CC BY 4.0", provenance);
        Assert.Contains("doi:10.17632/rscbjbr9sj.2", provenance);
        Assert.Contains("224x224", provenance);

        if (!TestData.IsFullSet) return;
        // Byte for byte the files of the full set, and every image of each chosen child.
        var full = ReadManifest(TestData.Root);
        Assert.All(catalog.Images, i => Assert.Equal(full[i.RelativePath][6], i.Md5));
        var md5Counts = full.Values.GroupBy(r => r[6]).ToDictionary(g => g.Key, g => g.Count());
        var chosen = catalog.Images.Where(i => KaggleLayout.PatientOf(i.RelativePath) is not null)
            .Select(i => (KaggleLayout.FolderName(i.Split), KaggleLayout.PatientOf(i.RelativePath))).ToHashSet();
        var missing = full.Values.Where(r => md5Counts[r[6]] == 1 && chosen.Contains((r[1], KaggleLayout.PatientOf(r[0]))) && !manifest.ContainsKey(r[0])).ToList();
        Assert.Empty(missing);
    }
}
