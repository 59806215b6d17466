using MathNet.Numerics.Distributions;

namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// McNemar's test on two models' decisions about the same images (each at its own threshold): only the images one
/// model gets right and the other wrong count. OnlyA: A right, B wrong; OnlyB: B right, A wrong. P is the exact
/// two-sided binomial p-value (the discordant images split 50:50 if the models are equally good), which stays right
/// for the small counts of a 624-image test split; ChiSquare is the classic statistic (OnlyA - OnlyB)^2 / (OnlyA + OnlyB)
/// without continuity correction (Agresti, Categorical Data Analysis, 2002, section 10.1), for comparison with textbooks.
/// </summary>
public sealed record McNemarTest(int OnlyA, int OnlyB, int BothRight, int BothWrong, double ChiSquare, double P)
{
    public static McNemarTest Compute(IReadOnlyList<int> labels, IReadOnlyList<float> a, double thresholdA, IReadOnlyList<float> b, double thresholdB)
    {
        PredictionInput.Validate(labels, a);
        PredictionInput.Validate(labels, b);
        int onlyA = 0, onlyB = 0, both = 0, neither = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            bool rightA = (a[i] >= thresholdA ? 1 : 0) == labels[i], rightB = (b[i] >= thresholdB ? 1 : 0) == labels[i];
            if (rightA && rightB) both++;
            else if (rightA) onlyA++;
            else if (rightB) onlyB++;
            else neither++;
        }
        return FromCounts(onlyA, onlyB, both, neither);
    }

    /// <summary>From the discordant (and concordant) counts of a paired 2 x 2 table.</summary>
    public static McNemarTest FromCounts(int onlyA, int onlyB, int bothRight = 0, int bothWrong = 0)
    {
        if (onlyA < 0 || onlyB < 0 || bothRight < 0 || bothWrong < 0) throw new ArgumentException("Counts cannot be negative.");
        int discordant = onlyA + onlyB;
        if (discordant == 0) return new McNemarTest(onlyA, onlyB, bothRight, bothWrong, 0, 1);
        double chiSquare = (double)(onlyA - onlyB) * (onlyA - onlyB) / discordant;
        double p = Math.Min(1, 2 * Binomial.CDF(0.5, discordant, Math.Min(onlyA, onlyB)));
        return new McNemarTest(onlyA, onlyB, bothRight, bothWrong, chiSquare, p);
    }
}
