using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Web.Results;

/// <summary>
/// The visible test images judged at one threshold: those called wrong (most confidently wrong first) and those called
/// right (least sure first: the ones nearest the threshold), so each cell of the confusion matrix can show its images.
/// </summary>
public sealed record ResultsAtThreshold(double Threshold, BinaryEvaluation Evaluation, ClassificationReport Report, IReadOnlyList<ResultImage> Misclassified)
{
    public IReadOnlyList<ResultImage> Correct { get; init; } = [];

    /// <summary>The images of one cell of the confusion matrix (tn, fp, fn, tp), in the order the gallery shows them.</summary>
    public IReadOnlyList<ResultImage> InCell(string cell) => cell switch
    {
        "fn" => Misclassified.Where(i => i.Label == Label.Pneumonia).ToList(),
        "fp" => Misclassified.Where(i => i.Label == Label.Normal).ToList(),
        "tp" => Correct.Where(i => i.Label == Label.Pneumonia).ToList(),
        "tn" => Correct.Where(i => i.Label == Label.Normal).ToList(),
        _ => Misclassified,
    };

    public ConfusionMatrix Matrix => Evaluation.ConfusionMatrix;

    /// <summary>How sure the model was of the wrong answer: the probability it gave the class the image does not have.</summary>
    public static double WrongConfidence(ResultImage image) => image.Label == Label.Normal ? image.Probability : 1 - image.Probability;
}
