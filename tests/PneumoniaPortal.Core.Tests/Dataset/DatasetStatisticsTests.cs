using System.Text.Json;
using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Core.Tests.Dataset;

public class DatasetStatisticsTests
{
    static ImageRecord Image(string path, int width = 224, int height = 224, string? md5 = null)
    {
        Assert.True(KaggleLayout.TryParseImagePath(path, out var split, out var label));
        md5 ??= Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(path)));
        return new ImageRecord(path, split, label, KaggleLayout.SubtypeOf(path, label), width, height, md5, 1000);
    }

    /// <summary>A small set with one of everything: val split, an unknown subtype, duplicates that conflict and leak.</summary>
    static ImageCatalog SmallCatalog() => ImageCatalog.FromRecords(
    [
        Image("train/NORMAL/IM-0001.jpeg", 1000, 800),
        Image("train/NORMAL/IM-0002.jpeg", 2000, 1500, md5: "aaaa"),
        Image("train/PNEUMONIA/person1_bacteria_1.jpeg", 500, 400),
        Image("train/PNEUMONIA/person2_bacteria_2.jpeg", 1200, 900, md5: "bbbb"),
        Image("train/PNEUMONIA/person3_virus_3.jpeg", 640, 480),
        Image("train/PNEUMONIA/person4_virus_4.jpeg", 800, 600, md5: "cccc"),
        Image("train/PNEUMONIA/strange.jpeg", 384, 127),
        Image("val/NORMAL/IM-0003.jpeg", 1500, 1100),
        Image("val/PNEUMONIA/person5_virus_5.jpeg", 1400, 1000, md5: "cccc"),
        Image("test/NORMAL/IM-0004.jpeg", 2000, 1500, md5: "aaaa"),
        Image("test/PNEUMONIA/person6_bacteria_6.jpeg", 1100, 700, md5: "BBBB"),
        Image("test/PNEUMONIA/person7_bacteria_7.jpeg", 900, 700),
    ], [new CatalogProblem("test/NORMAL/broken.jpeg", "truncated")]);

    [Fact]
    public void Counts_are_given_per_split_label_and_subtype()
    {
        var stats = DatasetStatistics.From(SmallCatalog());

        Assert.Equal(12, stats.TotalImages);
        Assert.Equal((4, 8), (stats.TotalNormal, stats.TotalPneumonia));
        Assert.Equal([Split.Train, Split.Val, Split.Test], stats.Splits.Select(s => s.Split));
        Assert.Equal(new SplitCounts(Split.Train, 2, 5, 2, 2, 1), stats.CountsFor(Split.Train));
        Assert.Equal(new SplitCounts(Split.Val, 1, 1, 0, 1, 0), stats.CountsFor(Split.Val));
        Assert.Equal(new SplitCounts(Split.Test, 1, 2, 2, 0, 0), stats.CountsFor(Split.Test));
        Assert.Equal(new Dictionary<string, int> { ["bacteria"] = 4, ["normal"] = 4, ["unknown"] = 1, ["virus"] = 3 }, stats.Subtypes);
        Assert.Equal(1, stats.ProblemCount);
    }

    [Fact]
    public void Class_balance_is_the_fraction_of_PNEUMONIA_per_split()
    {
        var stats = DatasetStatistics.From(SmallCatalog());
        Assert.Equal(5 / 7.0, stats.CountsFor(Split.Train).PneumoniaFraction, 12);
        Assert.Equal(0.5, stats.CountsFor(Split.Val).PneumoniaFraction, 12);
        Assert.Equal(8 / 12.0, stats.PneumoniaFraction, 12);
    }

    [Fact]
    public void Train_class_weights_are_the_balanced_ones()
    {
        var stats = DatasetStatistics.From(SmallCatalog());
        var (normal, pneumonia) = ClassWeights.Balanced(2, 5);
        Assert.Equal(new BalancedClassWeights(normal, pneumonia), stats.TrainClassWeights);
    }

    [Fact]
    public void Sizes_give_min_median_max_a_histogram_and_the_extreme_images()
    {
        var stats = DatasetStatistics.From(SmallCatalog());

        Assert.Equal((384, 1000.0 + 50, 2000), (stats.Widths.Min, stats.Widths.Median, stats.Widths.Max));
        Assert.Equal((127, 750.0, 1500), (stats.Heights.Min, stats.Heights.Median, stats.Heights.Max));
        // Widths 384..2000 span 1617 px: bins of 200 px from 200.
        Assert.All(stats.Widths.Histogram, b => Assert.Equal(200, b.To - b.From));
        Assert.Equal(200, stats.Widths.Histogram[0].From);
        Assert.True(stats.Widths.Histogram[^1].To > 2000);
        Assert.Equal(12, stats.Widths.Histogram.Sum(b => b.Count));
        Assert.Equal(2, stats.Widths.Histogram.Single(b => b.From == 2000).Count);
        Assert.Equal(new ImageExtent("train/PNEUMONIA/strange.jpeg", 384, 127), stats.Smallest);
        // Two images are 2000x1500: the first by path wins.
        Assert.Equal(new ImageExtent("test/NORMAL/IM-0004.jpeg", 2000, 1500), stats.Biggest);
    }

    [Fact]
    public void Identical_sizes_make_a_single_bin()
    {
        var stats = DatasetStatistics.From(ImageCatalog.FromRecords([Image("train/NORMAL/a.jpeg"), Image("test/NORMAL/b.jpeg")]));
        Assert.Equal([new HistogramBin(224, 225, 2)], stats.Widths.Histogram);
        Assert.Equal("224", stats.Widths.Histogram[0].Label);
    }

    [Fact]
    public void Duplicates_are_grouped_by_md5_and_flag_conflicting_labels_and_leakage()
    {
        var stats = DatasetStatistics.From(SmallCatalog());

        Assert.Equal(3, stats.DuplicateGroups.Count);
        Assert.Equal(6, stats.DuplicateFiles);
        var crossLabel = stats.DuplicateGroups.Single(g => g.Md5 == "aaaa");
        Assert.Equal(["test/NORMAL/IM-0004.jpeg", "train/NORMAL/IM-0002.jpeg"], crossLabel.Paths);
        Assert.False(crossLabel.LabelsConflict);
        Assert.True(crossLabel.SpansSplits);
        // md5 case does not matter.
        var bacteria = stats.DuplicateGroups.Single(g => g.Md5 == "bbbb");
        Assert.Equal(2, bacteria.Paths.Count);
        var virus = stats.DuplicateGroups.Single(g => g.Md5 == "cccc");
        Assert.False(virus.LabelsConflict);
        Assert.Equal(0, stats.DuplicateGroupsWithConflictingLabels);
        Assert.Equal(3, stats.DuplicateGroupsAcrossSplits);
    }

    [Fact]
    public void A_duplicate_filed_under_both_labels_is_a_label_conflict()
    {
        var stats = DatasetStatistics.From(ImageCatalog.FromRecords(
            [Image("train/NORMAL/a.jpeg", md5: "ffff"), Image("train/PNEUMONIA/person1_virus_1.jpeg", md5: "ffff")]));
        var group = Assert.Single(stats.DuplicateGroups);
        Assert.True(group.LabelsConflict);
        Assert.False(group.SpansSplits);
    }

    [Fact]
    public void An_empty_catalog_has_zero_statistics_without_NaN()
    {
        var stats = DatasetStatistics.From(ImageCatalog.FromRecords([]));

        Assert.Equal(0, stats.TotalImages);
        Assert.Equal(0, stats.PneumoniaFraction);
        Assert.Equal(0, stats.CountsFor(Split.Train).PneumoniaFraction);
        Assert.Null(stats.TrainClassWeights);
        Assert.Null(stats.Smallest);
        Assert.Empty(stats.Widths.Histogram);
        var json = JsonSerializer.Serialize(stats);
        Assert.DoesNotContain("NaN", json);
        Assert.Contains("not available", stats.ToText());
    }

    [Fact]
    public void Statistics_round_trip_through_System_Text_Json()
    {
        var stats = DatasetStatistics.From(SmallCatalog());
        var json = JsonSerializer.Serialize(stats);
        var back = JsonSerializer.Deserialize<DatasetStatistics>(json)!;

        Assert.Contains("\"Split\":\"Train\"", json);
        Assert.Equal(stats.TotalImages, back.TotalImages);
        Assert.Equal(stats.Splits, back.Splits);
        Assert.Equal(stats.Widths.Histogram, back.Widths.Histogram);
        Assert.Equal(stats.DuplicateGroups.Select(g => (g.Md5, string.Join(",", g.Paths), g.SpansSplits)),
            back.DuplicateGroups.Select(g => (g.Md5, string.Join(",", g.Paths), g.SpansSplits)));
        Assert.Equal(stats.TrainClassWeights, back.TrainClassWeights);
        Assert.Equal(stats.Subtypes.OrderBy(p => p.Key), back.Subtypes.OrderBy(p => p.Key));
        Assert.Equal(stats.Fingerprint, back.Fingerprint);
    }

    [Fact]
    public void The_text_report_shows_the_counts_table_balance_sizes_and_duplicates()
    {
        var text = DatasetStatistics.From(SmallCatalog()).ToText();

        Assert.Contains("12 images (4 NORMAL, 8 PNEUMONIA), 1 problem(s)", text);
        Assert.Matches(@"train\s+2\s+5\s+2\s+2\s+7\s+71\.4 %", text);
        Assert.Matches(@"val\s+1\s+1\s+0\s+1\s+2\s+50\.0 %", text);
        Assert.Contains("1 PNEUMONIA image(s) name neither bacteria nor virus", text);
        Assert.Contains("balanced class weights for train: NORMAL 1.750, PNEUMONIA 0.700", text);
        Assert.Contains("width  min 384, median 1050, max 2000", text);
        Assert.Contains("smallest: train/PNEUMONIA/strange.jpeg (384x127)", text);
        Assert.Contains("3 group(s), 6 files; 0 with conflicting labels, 3 across splits (leakage)", text);
        Assert.Contains("test/NORMAL/IM-0004.jpeg = train/NORMAL/IM-0002.jpeg [across splits]", text);
    }
}
