namespace PneumoniaPortal.Core.Metrics;

/// <summary>Mean binary cross-entropy of the predicted PNEUMONIA probabilities, the figure the training loss reports.</summary>
public static class LogLoss
{
    /// <summary>Probabilities are clipped to [1e-7, 1 - 1e-7] so one confident mistake costs about 16, not infinity.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>
    /// Each image's loss is multiplied by its class's weight and the sum divided by the number of images, as PyTorch's
    /// BCE with per-sample weights and reduction "mean" does. Empty input gives 0.
    /// </summary>
    public static double Compute(
        IReadOnlyList<int> labels,
        IReadOnlyList<float> probabilities,
        double normalWeight = 1,
        double pneumoniaWeight = 1)
    {
        PredictionInput.Validate(labels, probabilities);
        CheckWeight(normalWeight, nameof(normalWeight), "NORMAL");
        CheckWeight(pneumoniaWeight, nameof(pneumoniaWeight), "PNEUMONIA");
        if (labels.Count == 0) return 0;

        double sum = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            double p = Math.Clamp((double)probabilities[i], Epsilon, 1 - Epsilon);
            sum += labels[i] == 1 ? -pneumoniaWeight * Math.Log(p) : -normalWeight * Math.Log(1 - p);
        }

        return sum / labels.Count;
    }

    private static void CheckWeight(double weight, string paramName, string className)
    {
        if (!double.IsFinite(weight) || weight < 0)
            throw new ArgumentException(
                $"The weight of {className} must be a number of 0 or more; it is {Format.Number(weight)}.", paramName);
    }
}
