namespace PneumoniaPortal.Core.Metrics;

/// <summary>The checks every metric makes before it counts: one label (0 or 1) and one probability in [0, 1] per image.</summary>
internal static class PredictionInput
{
    public static void Validate(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (labels.Count != probabilities.Count)
            throw new ArgumentException(
                $"There are {labels.Count} labels but {probabilities.Count} probabilities; every image needs exactly one of each.",
                nameof(probabilities));

        for (int i = 0; i < labels.Count; i++)
        {
            int label = labels[i];
            if (label != 0 && label != 1)
                throw new ArgumentException(
                    $"Labels must be 0 (NORMAL) or 1 (PNEUMONIA); label {i} is {label}.", nameof(labels));

            float p = probabilities[i];
            if (float.IsNaN(p))
                throw new ArgumentException(
                    $"Probabilities must be numbers between 0 and 1; probability {i} is NaN.", nameof(probabilities));
            if (p < 0 || p > 1)
                throw new ArgumentException(
                    $"Probabilities must be between 0 and 1; probability {i} is {Format.Number(p)}.", nameof(probabilities));
        }
    }

    public static void ValidateThreshold(double threshold, string paramName)
    {
        if (double.IsNaN(threshold))
            throw new ArgumentException("The threshold must be a number; it is NaN.", paramName);
    }
}

/// <summary>Numbers written for people the same way on every machine, whatever its language settings.</summary>
internal static class Format
{
    public static string Number(double value, string format = "0.###") =>
        value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
