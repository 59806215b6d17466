namespace PneumoniaPortal.Core.Dataset;

/// <summary>The images a run trains, validates and tests on.</summary>
public sealed record RunSplits(IReadOnlyList<ImageRecord> Train, IReadOnlyList<ImageRecord> Validation, IReadOnlyList<ImageRecord> Test);

/// <summary>Stratified, seeded carving of a validation split out of train (the seed notebook's 90/10).</summary>
public static class DatasetSplitter
{
    /// <param name="maxTrainImages">0 = all; otherwise a stratified subsample of train+validation of at most this size.</param>
    public static RunSplits Carve(IReadOnlyList<ImageRecord> images, double validationFraction, int seed, int maxTrainImages = 0)
    {
        if (validationFraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "The validation fraction must be between 0 and 1.");
        // The data set's own val folder (16 images in Kaggle's) is too small to choose anything on: it joins train.
        var pool = images.Where(i => i.Split != Split.Test).OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList();
        var test = images.Where(i => i.Split == Split.Test).OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        var train = new List<ImageRecord>();
        var validation = new List<ImageRecord>();
        var keepFraction = maxTrainImages > 0 && maxTrainImages < pool.Count ? (double)maxTrainImages / pool.Count : 1.0;
        foreach (var byLabel in pool.GroupBy(i => i.Label).OrderBy(g => g.Key))
        {
            // Byte-identical copies stay on one side, so validation never scores an image train has seen.
            var copies = byLabel.GroupBy(i => i.Md5).Select(g => g.ToList()).OrderBy(g => g[0].RelativePath, StringComparer.Ordinal).ToArray();
            random.Shuffle(copies);
            var keep = (int)Math.Round(byLabel.Count() * keepFraction);
            var nVal = Math.Max(keep >= 2 ? 1 : 0, (int)Math.Round(keep * validationFraction));
            var taken = 0;
            foreach (var group in copies)
            {
                if (taken >= keep) break;
                (taken < nVal ? validation : train).AddRange(group);
                taken += group.Count;
            }
        }
        return new RunSplits(
            train.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList(),
            validation.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList(),
            test);
    }
}
