using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Web.Results;

/// <summary>The visible test images judged at one threshold.</summary>
public sealed record ResultsAtThreshold(double Threshold, BinaryEvaluation Evaluation, ClassificationReport Report, IReadOnlyList<ResultImage> Misclassified)
{
    public ConfusionMatrix Matrix => Evaluation.ConfusionMatrix;

    /// <summary>How sure the model was of the wrong answer: the probability it gave the class the image does not have.</summary>
    public static double WrongConfidence(ResultImage image) => image.Label == Label.Normal ? image.Probability : 1 - image.Probability;
}
