using PneumoniaPortal.Core.Dataset;
using static System.FormattableString;

namespace PneumoniaPortal.Core.Relabelling;

/// <summary>Why an image may be mislabelled.</summary>
public enum EvidenceKind
{
    /// <summary>Finished runs are confidently sure of the other label.</summary>
    ConfidentDisagreement,
    /// <summary>Most of many runs predict the other label.</summary>
    RunsDisagree,
    /// <summary>A byte-identical copy carries the other label.</summary>
    DuplicateConflict,
    /// <summary>A near-identical image (perceptual hash) carries the other label.</summary>
    NearDuplicateConflict,
    /// <summary>The same or a near-identical image sits in both train and test.</summary>
    SplitLeakage,
    /// <summary>Students labelling it blind disagree with each other or with the label.</summary>
    ClassDisagreement,
}

/// <summary>One reason, in words, with how much it counts.</summary>
public sealed record Evidence(EvidenceKind Kind, double Weight, string Reason);

/// <summary>An image in the doubtful queue, most doubtful first.</summary>
public sealed record DoubtfulImage(ImageRecord Image, double Score, IReadOnlyList<Evidence> Evidence);

/// <summary>One finished run's probability of PNEUMONIA for an image.</summary>
public sealed record RunOpinion(string Run, float Probability);

/// <summary>The blind labels students gave an image in labelling practice.</summary>
public sealed record BlindVotes(int Normal, int Pneumonia)
{
    public int Total => Normal + Pneumonia;
}

public sealed record DoubtfulRules
{
    /// <summary>A run is confidently against the label when its probability of the other class is at least this.</summary>
    public double ConfidentProbability { get; init; } = 0.9;
    /// <summary>"Many runs": the fewest runs whose majority counts as evidence.</summary>
    public int MinRunsForMajority { get; init; } = 3;
    /// <summary>Blind-labelling evidence needs at least this many answers.</summary>
    public int MinBlindVotes { get; init; } = 3;
}

/// <summary>
/// Ranks images by evidence that their label is wrong (docs/architecture.md, "Data sets, hidden labels, relabelling"): runs that confidently disagree,
/// disagreement across many runs, exact and near duplicates with conflicting labels or across train and test, and
/// blind labelling that disagrees. Pure: the caller gathers predictions and duplicate groups.
/// </summary>
public static class DoubtfulImages
{
    public static IReadOnlyList<DoubtfulImage> Rank(
        IReadOnlyList<ImageRecord> images,
        IReadOnlyDictionary<string, IReadOnlyList<RunOpinion>> opinions,
        IReadOnlyList<IReadOnlyList<int>> nearDuplicateGroups,
        IReadOnlyDictionary<string, BlindVotes>? blind = null,
        DoubtfulRules? rules = null)
    {
        rules ??= new DoubtfulRules();
        var evidence = new List<Evidence>?[images.Count];
        void Add(int i, Evidence e) => (evidence[i] ??= []).Add(e);

        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (opinions.TryGetValue(image.RelativePath, out var runs) && runs.Count > 0)
                foreach (var e in FromRuns(image, runs, rules)) Add(i, e);
            if (blind is not null && blind.TryGetValue(image.RelativePath, out var votes) && FromBlind(image, votes, rules) is { } b) Add(i, b);
        }

        foreach (var group in images.Select((image, index) => (image, index)).GroupBy(x => x.image.Md5, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            foreach (var e in FromGroup(group.Select(x => x.index).ToList(), images, exact: true)) Add(e.Index, e.Evidence);
        foreach (var group in nearDuplicateGroups.Where(g => g.Count > 1))
        {
            // Byte-identical members are already covered above; a near group adds evidence only across different files.
            if (group.Select(i => images[i].Md5.ToLowerInvariant()).Distinct().Count() < 2) continue;
            foreach (var e in FromGroup(group, images, exact: false)) Add(e.Index, e.Evidence);
        }

        return evidence.Select((list, i) => (list, i)).Where(x => x.list is { Count: > 0 })
            .Select(x => new DoubtfulImage(images[x.i], Math.Round(x.list!.Sum(e => e.Weight), 6), x.list!.OrderByDescending(e => e.Weight).ToList()))
            .OrderByDescending(d => d.Score).ThenBy(d => d.Image.RelativePath, StringComparer.Ordinal)
            .ToList();
    }

    static IEnumerable<Evidence> FromRuns(ImageRecord image, IReadOnlyList<RunOpinion> runs, DoubtfulRules rules)
    {
        // Probability of the class the label does NOT say.
        double Against(RunOpinion r) => image.Label == Label.Pneumonia ? 1 - r.Probability : r.Probability;
        var other = Name(Other(image.Label));
        var confident = runs.Where(r => Against(r) >= rules.ConfidentProbability).ToList();
        if (confident.Count > 0)
        {
            var mean = confident.Average(Against);
            yield return new Evidence(EvidenceKind.ConfidentDisagreement, confident.Count * mean,
                // Counted, not named: the runs are other students' and mostly private.
                Invariant($"{Count(confident.Count, "finished run")} {(confident.Count == 1 ? "says" : "say")} {other} with at least {rules.ConfidentProbability:0%} confidence ") +
                Invariant($"(mean {mean:0%})."));
        }
        var against = runs.Count(r => Against(r) >= 0.5);
        if (runs.Count >= rules.MinRunsForMajority && against * 2 > runs.Count)
            yield return new Evidence(EvidenceKind.RunsDisagree, (double)against / runs.Count,
                $"{against} of {runs.Count} runs predict {other}.");
    }

    static Evidence? FromBlind(ImageRecord image, BlindVotes votes, DoubtfulRules rules)
    {
        if (votes.Total < rules.MinBlindVotes) return null;
        var against = image.Label == Label.Pneumonia ? votes.Normal : votes.Pneumonia;
        var share = (double)against / votes.Total;
        // Either the class mostly says the other label, or it is split close to evenly.
        if (share < 0.34) return null;
        return new Evidence(EvidenceKind.ClassDisagreement, share,
            $"In blind labelling {against} of {votes.Total} students chose {Name(Other(image.Label))}.");
    }

    static IEnumerable<(int Index, Evidence Evidence)> FromGroup(IReadOnlyList<int> group, IReadOnlyList<ImageRecord> images, bool exact)
    {
        var what = exact ? "byte-identical copy" : "near-identical image";
        foreach (var i in group)
        {
            var image = images[i];
            var others = group.Where(j => j != i).Select(j => images[j]).ToList();
            var conflicting = others.Where(o => o.Label != image.Label).ToList();
            if (conflicting.Count > 0)
                yield return (i, new Evidence(exact ? EvidenceKind.DuplicateConflict : EvidenceKind.NearDuplicateConflict, exact ? 1.5 : 1.0,
                    $"A {what} is labelled {Name(conflicting[0].Label)}: {conflicting[0].RelativePath}{(conflicting.Count > 1 ? $" and {conflicting.Count - 1} more" : "")}."));
            var crossing = others.Where(o => (o.Split == Split.Test) != (image.Split == Split.Test)).ToList();
            if (crossing.Count > 0)
                yield return (i, new Evidence(EvidenceKind.SplitLeakage, exact ? 0.5 : 0.3,
                    $"A {what} is in the {Name(crossing[0].Split)} split ({crossing[0].RelativePath}): train and test share it."));
        }
    }

    static Label Other(Label label) => label == Label.Normal ? Label.Pneumonia : Label.Normal;
    static string Name(Label label) => label.ToString().ToUpperInvariant();
    static string Name(Split split) => split.ToString().ToLowerInvariant();
    static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
}
