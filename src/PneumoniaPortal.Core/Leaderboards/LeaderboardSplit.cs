using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Core.Leaderboards;

/// <summary>
/// The images a class's leaderboard scores on, held back from the test split, and their public and private halves
/// (like a Kaggle competition: the public half ranks while it runs, the private half decides at the end).
/// </summary>
public sealed record LeaderboardImages(IReadOnlyList<ImageRecord> Public, IReadOnlyList<ImageRecord> Private)
{
    public IEnumerable<ImageRecord> All => Public.Concat(Private);
}

/// <summary>Chooses a leaderboard's images: stratified by label, seeded, so the same settings always give the same images.</summary>
public static class LeaderboardSplit
{
    public const double MinFraction = 0.1;
    public const double MaxFraction = 0.9;

    /// <param name="images">The whole catalog; only its test split is used.</param>
    /// <param name="fraction">Share of the test split held back for the leaderboard (the rest stays visible to students).</param>
    public static LeaderboardImages Choose(IReadOnlyList<ImageRecord> images, double fraction, int seed)
    {
        if (double.IsNaN(fraction) || fraction < MinFraction || fraction > MaxFraction)
            throw new ArgumentOutOfRangeException(nameof(fraction), "The leaderboard's share of the test split must be between 10% and 90%.");
        var random = new Random(seed);
        var publicHalf = new List<ImageRecord>();
        var privateHalf = new List<ImageRecord>();
        foreach (var byLabel in images.Where(i => i.Split == Split.Test).OrderBy(i => i.RelativePath, StringComparer.Ordinal).GroupBy(i => i.Label).OrderBy(g => g.Key))
        {
            var pool = byLabel.ToArray();
            random.Shuffle(pool);
            var held = (int)Math.Round(pool.Length * fraction);
            var publicCount = held / 2 + held % 2;
            publicHalf.AddRange(pool.Take(publicCount));
            privateHalf.AddRange(pool.Skip(publicCount).Take(held - publicCount));
        }
        return new LeaderboardImages(
            publicHalf.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList(),
            privateHalf.OrderBy(i => i.RelativePath, StringComparer.Ordinal).ToList());
    }
}
