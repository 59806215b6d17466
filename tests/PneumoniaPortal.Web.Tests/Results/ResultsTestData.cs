using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Tests.Results;

/// <summary>A hand-made finished run: ten visible test images whose counts at any threshold are easy to work out.</summary>
public static class ResultsTestData
{
    // NORMAL scores 0.1 0.2 0.3 0.6 0.8; PNEUMONIA scores 0.4 0.7 0.8 0.9 0.95.
    // At 0.5: TN 3, FP 2, FN 1, TP 4. At 0.75: TN 4, FP 1, FN 2, TP 3.
    public static readonly (Label Label, float Probability)[] Scores =
    [
        (Label.Normal, 0.1f), (Label.Normal, 0.2f), (Label.Normal, 0.3f), (Label.Normal, 0.6f), (Label.Normal, 0.8f),
        (Label.Pneumonia, 0.4f), (Label.Pneumonia, 0.7f), (Label.Pneumonia, 0.8f), (Label.Pneumonia, 0.9f), (Label.Pneumonia, 0.95f),
    ];

    /// <param name="copies">How many times the ten images are in the test split (more images, narrower intervals).</param>
    public static RunResults Run(double threshold = 0.5, int heldOut = 0, IReadOnlyList<ResultImage>? validation = null, int copies = 1)
    {
        var test = Enumerable.Range(0, copies).SelectMany(_ => Scores).Select((s, i) =>
            new ResultImage($"test/{(s.Label == Label.Normal ? "NORMAL" : "PNEUMONIA")}/img-{i:D2}.jpeg", s.Label, s.Probability, $"id{i}")).ToList();
        var labels = test.Select(t => (int)t.Label).ToArray();
        var probabilities = test.Select(t => t.Probability).ToArray();
        var evaluation = BinaryEvaluation.Compute(labels, probabilities, threshold);
        var pr = PrecisionRecallCurve.From(labels, probabilities);
        var report = new TestReport("test", evaluation, ClassificationReport.From(evaluation.ConfusionMatrix),
            RocCurve.From(labels, probabilities).Points, pr.Points, pr.AveragePrecision,
            new ThresholdChoice(threshold, ThresholdRule.Youden, "chosen on validation by Youden's J"),
            "epoch-003.pt", "epoch 3, the best validation loss of 3 epochs", false);
        return new RunResults
        {
            Run = new TrainingRun { Id = 42, Name = "Hand made", Status = RunStatus.Succeeded },
            OwnerName = "Student",
            Record = new RunRecord { Test = report },
            Test = test,
            Threshold = threshold,
            HeldOut = heldOut,
            FolderPath = Path.GetTempPath(),
            Validation = validation ?? [],
        };
    }
}
