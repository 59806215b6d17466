namespace PneumoniaPortal.Core.Dataset;

/// <summary>The images a run trains, validates and tests on.</summary>
public sealed record RunSplits(IReadOnlyList<ImageRecord> Train, IReadOnlyList<ImageRecord> Validation, IReadOnlyList<ImageRecord> Test);

/// <summary>
/// Stratified, seeded carving of a validation split out of train (the seed notebook's 90/10), grouped by patient; or,
/// for a data set with a validation split of its own worth choosing on (a re-split, <see cref="DatasetResplitter"/>),
/// that split as it is.
/// </summary>
public static class DatasetSplitter
{
    /// <summary>A validation split with at least this many images of each label is used as it is (Kermany's 8 + 8 are not).</summary>
    public const int OwnValidationPerLabel = 30;

    /// <summary>Whether runs on these images validate on their own validation split rather than carve one from train.</summary>
    public static bool HasOwnValidation(IReadOnlyList<ImageRecord> images) =>
        Enum.GetValues<Label>().All(label => images.Count(i => i.Split == Split.Val && i.Label == label) >= OwnValidationPerLabel);

    /// <summary>Groups images that share a patient (from the file name) or identical bytes (md5), in a stable order.</summary>
    internal static List<ImageRecord>[] Related(List<ImageRecord> images)
    {
        var parent = Enumerable.Range(0, images.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        foreach (var key in new Func<ImageRecord, string?>[] { i => i.Md5, i => KaggleLayout.PatientOf(i.RelativePath) })
        {
            var first = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < images.Count; i++)
            {
                if (key(images[i]) is not { } k) continue;
                if (first.TryGetValue(k, out var j)) parent[Find(i)] = Find(j);
                else first[k] = i;
            }
        }
        return images.Select((image, i) => (image, root: Find(i))).GroupBy(x => x.root)
            .Select(g => g.Select(x => x.image).ToList())
            .OrderBy(g => g[0].RelativePath, StringComparer.Ordinal).ToArray();
    }

    /// <param name="maxTrainImages">0 = all; otherwise a stratified subsample of train+validation (train only, with a validation split of its own) of at most this size.</param>
    public static RunSplits Carve(IReadOnlyList<ImageRecord> images, double validationFraction, int seed, int maxTrainImages = 0)
    {
        if (validationFraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "The validation fraction must be between 0 and 1.");
        // The data set's own val folder (16 images in Kaggle's) is too small to choose anything on: it joins train. A
        // re-split's is not: it is kept, and only train is subsampled.
        var own = HasOwnValidation(images);
        var pool = images.Where(i => own ? i.Split == Split.Train : i.Split != Split.Test).OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList();
        var test = images.Where(i => i.Split == Split.Test).OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        var train = new List<ImageRecord>();
        var validation = new List<ImageRecord>();
        var keepFraction = maxTrainImages > 0 && maxTrainImages < pool.Count ? (double)maxTrainImages / pool.Count : 1.0;
        foreach (var byLabel in pool.GroupBy(i => i.Label).OrderBy(g => g.Key))
        {
            // One child's images, and byte-identical copies, stay on one side: validation never scores what train has seen.
            var groups = Related(byLabel.ToList());
            random.Shuffle(groups);
            var keep = (int)Math.Round(byLabel.Count() * keepFraction);
            var nVal = own ? 0 : Math.Max(keep >= 2 ? 1 : 0, (int)Math.Round(keep * validationFraction));
            var taken = 0;
            foreach (var group in groups)
            {
                if (taken >= keep) break;
                (taken < nVal ? validation : train).AddRange(group);
                taken += group.Count;
            }
        }
        if (own)
        {
            // The data set's validation split as it is; a child (or a file) it shares with train leaves train, so
            // validation never scores what train has seen.
            validation.AddRange(images.Where(i => i.Split == Split.Val));
            var seen = Related([.. train, .. validation]).Where(g => g.Any(i => i.Split == Split.Val)).SelectMany(g => g)
                .Where(i => i.Split == Split.Train).Select(i => i.RelativePath).ToHashSet(StringComparer.Ordinal);
            train.RemoveAll(i => seen.Contains(i.RelativePath));
        }
        return new RunSplits(
            train.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList(),
            validation.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList(),
            test);
    }
}
