using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.Core.Tests.Dataset;

/// <summary>The seed document's re-split: fractions per label, a child (and identical files) on one side, seeded.</summary>
public sealed class DatasetResplitterTests
{
    /// <summary>The data set the tests run on (the full set when present), from its manifest.</summary>
    static IReadOnlyList<ImageRecord> Manifest()
    {
        var lines = File.ReadAllLines(Path.Combine(TestData.Root, "manifest.csv")).Skip(1);
        return lines.Select(l => l.Split(','))
            .Select(f => new ImageRecord(f[0], Enum.Parse<Split>(f[1], ignoreCase: true), Enum.Parse<Label>(f[2], ignoreCase: true), f[3],
                int.Parse(f[4]), int.Parse(f[5]), f[6], 0))
            .ToList();
    }

    [Theory]
    [InlineData(0.7, 0.15, 0.15, 1)]
    [InlineData(0.7, 0.15, 0.15, 2)]
    [InlineData(0.8, 0.1, 0.1, 42)]
    public void Every_child_stays_on_one_side_and_each_labels_counts_are_within_one_image_of_the_fractions(double train, double val, double test, int seed)
    {
        var images = Manifest();
        var result = DatasetResplitter.Resplit(images, new ResplitSettings(train, val, test, seed));

        Assert.Equal(images.Select(i => i.RelativePath).Order(), result.Images.Select(i => i.RelativePath).Order());
        foreach (var child in result.Images.Where(i => KaggleLayout.PatientOf(i.RelativePath) is not null)
                     .GroupBy(i => KaggleLayout.PatientOf(i.RelativePath)!, i => i.Split))
            Assert.True(child.Distinct().Count() == 1, $"child {child.Key} is on {string.Join(" and ", child.Distinct())}");
        foreach (var copies in result.Images.GroupBy(i => i.Md5, i => i.Split))
            Assert.True(copies.Distinct().Count() == 1, $"identical files {copies.Key} are on {string.Join(" and ", copies.Distinct())}");
        foreach (var label in Enum.GetValues<Label>())
        {
            var n = images.Count(i => i.Label == label);
            foreach (var (split, fraction) in new[] { (Split.Train, train), (Split.Val, val), (Split.Test, test) })
            {
                var got = result.Images.Count(i => i.Label == label && i.Split == split);
                Assert.True(Math.Abs(got - n * fraction) <= 1, $"{label} {split}: {got} images, {n * fraction:0.0} asked");
            }
        }
        Assert.Equal(result.Images.Count(i => i.Split == Split.Test && i.Label == Label.Normal),
            result.Counts.Single(c => c is { Split: Split.Test, Label: Label.Normal }).After);
        Assert.Equal(images.Count(i => i.Split == Split.Val), result.Counts.Where(c => c.Split == Split.Val).Sum(c => c.Before));
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var images = Manifest();
        var first = DatasetResplitter.Resplit(images, new ResplitSettings(0.7, 0.15, 0.15, 5)).Images;
        var again = DatasetResplitter.Resplit(images.Reverse().ToList(), new ResplitSettings(0.7, 0.15, 0.15, 5)).Images;
        var other = DatasetResplitter.Resplit(images, new ResplitSettings(0.7, 0.15, 0.15, 6)).Images;
        Assert.Equal(first, again);
        Assert.NotEqual(first.Select(i => i.Split), other.Select(i => i.Split));
    }

    [Fact]
    public void A_child_filed_under_both_labels_trains_and_bad_fractions_are_refused_in_words()
    {
        ImageRecord Image(string path, Label label) => new(path, Split.Train, label, "", 224, 224, path, 0);
        var images = new List<ImageRecord> { Image("train/NORMAL/person7_a.jpeg", Label.Normal), Image("train/PNEUMONIA/person7_bacteria_1.jpeg", Label.Pneumonia) };
        for (var i = 0; i < 40; i++) images.Add(Image($"test/NORMAL/IM-{i:D4}-0001.jpeg", Label.Normal));
        for (var i = 0; i < 40; i++) images.Add(Image($"test/PNEUMONIA/person{100 + i}_bacteria_1.jpeg", Label.Pneumonia));
        var result = DatasetResplitter.Resplit(images, new ResplitSettings(0.5, 0.25, 0.25, 3));
        Assert.All(result.Images.Where(i => i.RelativePath.Contains("person7")), i => Assert.Equal(Split.Train, i.Split));

        Assert.Contains("add up to 1", string.Join(" ", new ResplitSettings(0.7, 0.2, 0.2, 1).Validate()));
        Assert.Contains("between 0 and 1", string.Join(" ", new ResplitSettings(1.5, 0, -0.5, 1).Validate()));
        Assert.Throws<ArgumentException>(() => DatasetResplitter.Resplit(images, new ResplitSettings(0.7, 0.2, 0.2, 1)));
    }

    [Fact]
    public void Runs_validate_on_a_resplit_data_sets_own_validation_split_but_carve_one_from_kermanys_sixteen()
    {
        var images = Manifest();
        Assert.False(DatasetSplitter.HasOwnValidation(images));
        var carved = DatasetSplitter.Carve(images, 0.1, 7);
        Assert.Contains(carved.Validation, i => i.Split == Split.Train);

        // A validation share large enough for the shipped sample too (410 images of each label).
        var resplit = DatasetResplitter.Resplit(images, new ResplitSettings(0.4, 0.4, 0.2, 7)).Images;
        Assert.True(DatasetSplitter.HasOwnValidation(resplit));
        var own = DatasetSplitter.Carve(resplit, 0.1, 7);
        Assert.Equal(resplit.Where(i => i.Split == Split.Val).Select(i => i.RelativePath).Order(StringComparer.Ordinal), own.Validation.Select(i => i.RelativePath));
        Assert.All(own.Train, i => Assert.Equal(Split.Train, i.Split));
        Assert.Equal(resplit.Count(i => i.Split == Split.Test), own.Test.Count);
        var fewer = DatasetSplitter.Carve(resplit, 0.1, 7, maxTrainImages: 50);
        Assert.InRange(fewer.Train.Count, 40, 60);
        Assert.Equal(own.Validation, fewer.Validation);
    }

    [Fact]
    public void A_fraction_that_leaves_a_label_without_test_images_is_refused_and_own_validation_keeps_a_child_out_of_train()
    {
        var images = Manifest();
        var e = Assert.Throws<DatasetLayoutException>(() => DatasetResplitter.Resplit(images, new ResplitSettings(0.999999, 0, 0.000001, 1)));
        Assert.Contains("would be in test", e.Message);

        ImageRecord Image(string path, Split split, Label label) => new(path, split, label, "", 224, 224, path, 0);
        var records = new List<ImageRecord>();
        foreach (var label in Enum.GetValues<Label>())
            for (var i = 0; i < 40; i++)
                records.Add(Image($"val/{label}/IM-{(int)label}{i:D3}-0001.jpeg", Split.Val, label));
        for (var i = 0; i < 20; i++) records.Add(Image($"train/NORMAL/IM-9{i:D3}-0001.jpeg", Split.Train, Label.Normal));
        // The same child as a validation image, filed under train.
        records.Add(Image("train/NORMAL/IM-0000-0002.jpeg", Split.Train, Label.Normal));
        var splits = DatasetSplitter.Carve(records, 0.1, 1);
        Assert.Equal(80, splits.Validation.Count);
        Assert.DoesNotContain(splits.Train, i => i.RelativePath.Contains("IM-0000-"));
        Assert.Equal(20, splits.Train.Count);
    }
}
