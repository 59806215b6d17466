namespace PneumoniaPortal.Core.Dataset;

/// <summary>
/// Splits a data set again, as the second seed document does with the Kermany set (whose validation split holds 16
/// images and whose test split is shifted away from train): all images pooled, then each label's images dealt to test,
/// validation and train in the chosen fractions. A child's images, and identical files, always land on one side
/// (<see cref="DatasetSplitter"/>'s groups), so no split scores what another has seen. Seeded: the same settings give
/// the same split. Each label's test and validation counts are its fraction of the label, rounded, whenever small
/// groups are left to fill them exactly (so within one image of the fraction); train takes the rest.
/// </summary>
public static class DatasetResplitter
{
    /// <exception cref="DatasetLayoutException">A label would have no image in train or in test.</exception>
    public static ResplitResult Resplit(IReadOnlyList<ImageRecord> images, ResplitSettings settings)
    {
        if (settings.Validate() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        var sorted = images.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList();
        var groups = DatasetSplitter.Related(sorted);
        var random = new Random(settings.Seed);
        var assigned = new Dictionary<string, Split>(StringComparer.Ordinal);
        // A group holding both labels (a child filed under both, or one file copied across) cannot be stratified:
        // it trains, where it counts for both labels without pushing a fraction off.
        foreach (var mixed in groups.Where(g => g.Select(i => i.Label).Distinct().Count() > 1))
            foreach (var image in mixed) assigned[image.RelativePath] = Split.Train;
        foreach (var label in Enum.GetValues<Label>())
        {
            var ofLabel = groups.Where(g => g.All(i => i.Label == label)).ToArray();
            random.Shuffle(ofLabel);
            var count = sorted.Count(i => i.Label == label);
            var wanted = new Dictionary<Split, int>
            {
                [Split.Test] = (int)Math.Round(count * settings.Test, MidpointRounding.AwayFromZero),
                [Split.Val] = (int)Math.Round(count * settings.Validation, MidpointRounding.AwayFromZero),
            };
            foreach (var group in ofLabel)
            {
                // The split still furthest from its count that the whole group fits in; none: train.
                var split = wanted.Where(w => w.Value >= group.Count).OrderByDescending(w => w.Value).ThenBy(w => w.Key)
                    .Select(w => (Split?)w.Key).FirstOrDefault() ?? Split.Train;
                if (split != Split.Train) wanted[split] -= group.Count;
                foreach (var image in group) assigned[image.RelativePath] = split;
            }
        }
        var result = sorted.Select(i => i with { Split = assigned[i.RelativePath] }).ToList();
        foreach (var label in Enum.GetValues<Label>().Where(l => sorted.Any(i => i.Label == l)))
            foreach (var split in new[] { Split.Train, Split.Test })
                if (!result.Any(i => i.Label == label && i.Split == split))
                    throw new DatasetLayoutException(
                        $"With {settings} no {label.ToString().ToUpperInvariant()} image would be in {split.ToString().ToLowerInvariant()}: choose larger fractions for train and test.");
        var counts = (from split in new[] { Split.Train, Split.Val, Split.Test }
                      from label in Enum.GetValues<Label>()
                      select new ResplitCount(split, label,
                          sorted.Count(i => i.Split == split && i.Label == label),
                          result.Count(i => i.Split == split && i.Label == label))).ToList();
        return new ResplitResult(result, counts, groups.Length, sorted.Zip(result).Count(p => p.First.Split != p.Second.Split));
    }
}
