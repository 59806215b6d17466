using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;

namespace PneumoniaPortal.Core.Tests.Relabelling;

public sealed class RelabellingTests
{
    static ImageRecord Image(string path, Label label, Split split = Split.Train, string? md5 = null) =>
        new(path, split, label, label == Label.Normal ? "normal" : "bacteria", 224, 224, md5 ?? path, 100);

    static readonly IReadOnlyList<IReadOnlyList<int>> NoNearGroups = [];

    [Fact]
    public void Confidently_contradicted_images_rank_above_merely_outvoted_ones_and_say_why()
    {
        var images = new[] { Image("a", Label.Normal), Image("b", Label.Normal), Image("c", Label.Pneumonia), Image("d", Label.Pneumonia) };
        var opinions = new Dictionary<string, IReadOnlyList<RunOpinion>>
        {
            ["a"] = [new("run 1", 0.97f), new("run 2", 0.95f), new("run 3", 0.2f)],  // two confident PNEUMONIA, and 2 of 3 is a majority
            ["b"] = [new("run 1", 0.6f), new("run 2", 0.7f), new("run 3", 0.55f)],   // all three say PNEUMONIA, none confidently
            ["c"] = [new("run 1", 0.9f), new("run 2", 0.8f), new("run 3", 0.99f)],   // agrees with its label
            ["d"] = [new("run 1", 0.05f)],                                             // one confident NORMAL; too few for a majority
        };
        var ranked = DoubtfulImages.Rank(images, opinions, NoNearGroups);

        Assert.Equal(["a", "b", "d"], ranked.Select(r => r.Image.RelativePath));
        var a = ranked[0];
        Assert.Equal([EvidenceKind.ConfidentDisagreement, EvidenceKind.RunsDisagree], a.Evidence.Select(e => e.Kind));
        Assert.Equal("2 finished runs say PNEUMONIA with at least 90% confidence (mean 96%).", a.Evidence[0].Reason);
        Assert.Equal("2 of 3 runs predict PNEUMONIA.", a.Evidence[1].Reason);
        Assert.Equal(2 * 0.96 + 2.0 / 3, a.Score, 6);
        Assert.Equal("3 of 3 runs predict PNEUMONIA.", Assert.Single(ranked[1].Evidence).Reason);
        Assert.Equal(EvidenceKind.ConfidentDisagreement, Assert.Single(ranked[2].Evidence).Kind);
    }

    [Fact]
    public void Duplicates_with_conflicting_labels_and_copies_across_train_and_test_are_evidence()
    {
        var images = new[]
        {
            Image("train/NORMAL/x", Label.Normal, md5: "same"),
            Image("train/PNEUMONIA/x", Label.Pneumonia, md5: "SAME"),
            Image("test/NORMAL/y", Label.Normal, Split.Test, md5: "y"),
            Image("train/NORMAL/y2", Label.Normal, md5: "y2"),
            Image("train/NORMAL/z", Label.Normal, md5: "z"),
        };
        var ranked = DoubtfulImages.Rank(images, new Dictionary<string, IReadOnlyList<RunOpinion>>(), [[2, 3]]);

        var x = ranked.Where(r => r.Image.RelativePath.EndsWith("/x")).ToList();
        Assert.Equal(2, x.Count);
        Assert.All(x, r => Assert.Equal(EvidenceKind.DuplicateConflict, Assert.Single(r.Evidence).Kind));
        Assert.Contains("labelled PNEUMONIA: train/PNEUMONIA/x", x.Single(r => r.Image.Label == Label.Normal).Evidence[0].Reason);
        var leak = ranked.Single(r => r.Image.RelativePath == "test/NORMAL/y");
        Assert.Equal(EvidenceKind.SplitLeakage, Assert.Single(leak.Evidence).Kind);
        Assert.Equal("A near-identical image is in the train split (train/NORMAL/y2): train and test share it.", leak.Evidence[0].Reason);
        Assert.DoesNotContain(ranked, r => r.Image.RelativePath.EndsWith("/z"));
    }

    [Fact]
    public void Blind_labelling_counts_only_with_enough_answers_and_real_disagreement()
    {
        var images = new[] { Image("a", Label.Pneumonia), Image("b", Label.Pneumonia), Image("c", Label.Pneumonia) };
        var blind = new Dictionary<string, BlindVotes> { ["a"] = new(3, 1), ["b"] = new(1, 1), ["c"] = new(1, 5) };
        var ranked = DoubtfulImages.Rank(images, new Dictionary<string, IReadOnlyList<RunOpinion>>(), NoNearGroups, blind);
        var only = Assert.Single(ranked);
        Assert.Equal("a", only.Image.RelativePath);
        Assert.Equal("In blind labelling 3 of 4 students chose NORMAL.", only.Evidence[0].Reason);
    }

    [Fact]
    public void A_label_version_applies_the_changes_up_to_it_and_keeps_the_original()
    {
        var original = new[] { Image("a", Label.Normal), Image("b", Label.Pneumonia) };
        var changes = new[]
        {
            new LabelChange(1, "a", Label.Pneumonia, "virus"),
            new LabelChange(2, "b", Label.Normal, "normal"),
            new LabelChange(3, "a", Label.Normal, "normal"),
        };
        Assert.Same(original, LabelVersions.Apply(original, changes, 0));
        Assert.Equal([Label.Pneumonia, Label.Pneumonia], LabelVersions.Apply(original, changes, 1).Select(i => i.Label));
        Assert.Equal("virus", LabelVersions.Apply(original, changes, 2)[0].Subtype);
        Assert.Equal([Label.Normal, Label.Normal], LabelVersions.Apply(original, changes, 3).Select(i => i.Label));
        Assert.Equal([Label.Normal, Label.Pneumonia], original.Select(i => i.Label));
        Assert.Equal([(0, Label.Normal, "normal"), (1, Label.Pneumonia, "virus"), (3, Label.Normal, "normal")], LabelVersions.HistoryOf(original[0], changes));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelVersions.Apply(original, changes, -1));
    }
}
