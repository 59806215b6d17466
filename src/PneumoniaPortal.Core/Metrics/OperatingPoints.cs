namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// The predictions sorted once by falling score and summarised at each distinct score: how many PNEUMONIA images
/// (true positives) and NORMAL images (false positives) score at or above it. ROC, PR and threshold choice read from here.
/// </summary>
internal sealed class OperatingPoints
{
    public int Positives { get; }
    public int Negatives { get; }

    /// <summary>Distinct scores, highest first; "positive" at index i means score &gt;= Thresholds[i].</summary>
    public double[] Thresholds { get; }
    public int[] TruePositives { get; }
    public int[] FalsePositives { get; }

    public int Count => Thresholds.Length;
    public bool BothClassesPresent => Positives > 0 && Negatives > 0;

    private OperatingPoints(int positives, int negatives, double[] thresholds, int[] truePositives, int[] falsePositives)
    {
        Positives = positives;
        Negatives = negatives;
        Thresholds = thresholds;
        TruePositives = truePositives;
        FalsePositives = falsePositives;
    }

    /// <summary>Assumes the input has been validated.</summary>
    public static OperatingPoints From(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities)
    {
        int n = labels.Count;
        var scores = new float[n];
        var classes = new int[n];
        for (int i = 0; i < n; i++)
        {
            scores[i] = probabilities[i];
            classes[i] = labels[i];
        }

        // One O(n log n) sort; everything after is a single pass, so tens of thousands of predictions stay cheap.
        Array.Sort(scores, classes);

        var thresholds = new List<double>();
        var truePositives = new List<int>();
        var falsePositives = new List<int>();
        int tp = 0, fp = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            if (classes[i] == 1) tp++;
            else fp++;

            // Tied scores are one threshold: they all flip from negative to positive together.
            if (i == 0 || scores[i - 1] != scores[i])
            {
                thresholds.Add(scores[i]);
                truePositives.Add(tp);
                falsePositives.Add(fp);
            }
        }

        return new OperatingPoints(tp, fp, thresholds.ToArray(), truePositives.ToArray(), falsePositives.ToArray());
    }
}
