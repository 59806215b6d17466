namespace PneumoniaPortal.Core.Metrics;

/// <summary>
/// One human reader's operating point (issue 17, reader studies as in Rajpurkar et al. 2018 and CheXpert): their
/// answers against the reference labels as a confusion matrix, so a point (1 - specificity, sensitivity) to draw on
/// a model's ROC curve. Labels and answers are 1 for PNEUMONIA and 0 for NORMAL.
/// </summary>
public sealed record ReaderPoint(ConfusionMatrix Matrix)
{
    public int Items => Matrix.Total;
    /// <summary>NaN when the reader saw no PNEUMONIA image.</summary>
    public double Sensitivity => Matrix.Positives == 0 ? double.NaN : Matrix.Sensitivity;
    /// <summary>NaN when the reader saw no NORMAL image.</summary>
    public double Specificity => Matrix.Negatives == 0 ? double.NaN : Matrix.Specificity;
    public double FalsePositiveRate => 1 - Specificity;
    public bool Defined => Matrix.Positives > 0 && Matrix.Negatives > 0;

    public static ReaderPoint Of(IReadOnlyList<int> reference, IReadOnlyList<int> answers)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(answers);
        if (reference.Count != answers.Count) throw new ArgumentException($"One answer per image: {reference.Count} labels, {answers.Count} answers.");
        if (reference.Concat(answers).Any(v => v is not (0 or 1))) throw new ArgumentException("Labels and answers are 0 (NORMAL) or 1 (PNEUMONIA).");
        int tp = 0, fn = 0, fp = 0, tn = 0;
        for (var i = 0; i < reference.Count; i++)
            switch ((reference[i], answers[i]))
            {
                case (1, 1): tp++; break;
                case (1, 0): fn++; break;
                case (0, 1): fp++; break;
                default: tn++; break;
            }
        return new ReaderPoint(new ConfusionMatrix(tn, fp, fn, tp));
    }

    /// <summary>
    /// The "average reader" of published reader studies: the mean sensitivity and the mean specificity of the readers
    /// whose point is defined; null when none is.
    /// </summary>
    public static (double Sensitivity, double Specificity, int Readers)? Average(IEnumerable<ReaderPoint> readers)
    {
        var defined = readers.Where(r => r.Defined).ToList();
        return defined.Count == 0 ? null : (defined.Average(r => r.Sensitivity), defined.Average(r => r.Specificity), defined.Count);
    }

    /// <summary>
    /// The model's sensitivity at this reader's false-positive rate, read off its ROC curve with straight lines between
    /// its points (the best sensitivity where the curve rises straight up at that rate). Positive
    /// <c>Sensitivity - ModelSensitivityAt(roc)</c> puts the reader above the curve: better than the model at their own
    /// trade-off.
    /// </summary>
    public double ModelSensitivityAt(RocCurve roc) => SensitivityAt(roc, FalsePositiveRate);

    public static double SensitivityAt(RocCurve roc, double falsePositiveRate)
    {
        ArgumentNullException.ThrowIfNull(roc);
        if (double.IsNaN(falsePositiveRate)) return double.NaN;
        var points = roc.Points;
        var best = double.NaN;
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (p.FalsePositiveRate == falsePositiveRate) best = double.IsNaN(best) ? p.TruePositiveRate : Math.Max(best, p.TruePositiveRate);
            if (i == 0) continue;
            var q = points[i - 1];
            if (q.FalsePositiveRate < falsePositiveRate && falsePositiveRate < p.FalsePositiveRate)
            {
                var t = (falsePositiveRate - q.FalsePositiveRate) / (p.FalsePositiveRate - q.FalsePositiveRate);
                var y = q.TruePositiveRate + t * (p.TruePositiveRate - q.TruePositiveRate);
                best = double.IsNaN(best) ? y : Math.Max(best, y);
            }
        }
        return best;
    }
}
