using MathNet.Numerics.Statistics;

namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// The model-randomisation check of a saliency map (Adebayo et al. 2018, "Sanity Checks for Saliency Maps"): the
/// Spearman rank correlation between the Grad-CAM of the trained network and of the same network with its weights
/// drawn again at random. A map that stays alike without any learning shows the image (its edges, its bright
/// regions), not what the network learned. Undefined (NaN) when either map is flat.
/// </summary>
public sealed record MapSimilarity(double Spearman, int Cells, bool TrainedFlat = false)
{
    /// <summary>From this rank correlation on, the two maps count as alike and the page warns.</summary>
    public const double AlikeFrom = 0.5;

    public bool Defined => !double.IsNaN(Spearman);
    public bool Alike => Defined && Spearman >= AlikeFrom;

    public static MapSimilarity Of(IReadOnlyList<float> trained, IReadOnlyList<float> randomised)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(randomised);
        if (trained.Count != randomised.Count) throw new ArgumentException($"Both maps need the same cells; one has {trained.Count}, the other {randomised.Count}.");
        if (trained.Count < 2) throw new ArgumentException("A rank correlation needs at least two cells.");
        if (Flat(trained) || Flat(randomised)) return new MapSimilarity(double.NaN, trained.Count, Flat(trained));
        // Ties (many cells are 0 after Grad-CAM's ReLU) get their average rank.
        return new MapSimilarity(Correlation.Spearman(trained.Select(v => (double)v), randomised.Select(v => (double)v)), trained.Count);
    }

    static bool Flat(IReadOnlyList<float> map) => map.All(v => v == map[0]);

    public string Sentence() => !Defined
        ? TrainedFlat
            ? "The trained network's map is empty: nothing in this image raises its PNEUMONIA score (Grad-CAM keeps only what does), so there is nothing to compare."
            : "The random network's map is flat (the same everywhere), so the two maps' ranks cannot be compared."
        : Alike
            ? $"The two maps are alike (Spearman rank correlation {Format.Number(Spearman, "0.00")}): this map mostly shows the image's edges and bright regions, not what the network learned. Read it with care."
            : $"The two maps differ (Spearman rank correlation {Format.Number(Spearman, "0.00")}): the trained network's map depends on what it learned, as a heat map should.";
}
