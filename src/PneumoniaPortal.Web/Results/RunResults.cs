using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Results;

/// <summary>One test image as a finished run saw it; <see cref="ImageId"/> names it in the active data set (thumbnails), when it is there.</summary>
public sealed record ResultImage(string RelativePath, Label Label, float Probability, string? ImageId);

/// <summary>
/// What a finished run produced, as a viewer may see it: its record (settings, history, how the checkpoint and threshold
/// were chosen) and its test predictions without the images any leaderboard holds back. Every figure on the run
/// detail, compare and download pages is computed from <see cref="Test"/>, so a held-back label cannot leak through one.
/// </summary>
public sealed class RunResults
{
    public required TrainingRun Run { get; init; }
    public required string OwnerName { get; init; }
    public required RunRecord Record { get; init; }
    /// <summary>The visible test images, in path order.</summary>
    public required IReadOnlyList<ResultImage> Test { get; init; }
    /// <summary>The run's own threshold, chosen on its validation split.</summary>
    public required double Threshold { get; init; }
    /// <summary>How many test images were left out because a leaderboard holds them back (pages say only whether any were).</summary>
    public required int HeldOut { get; init; }
    /// <summary>
    /// Paths of the run's data set whose content a leaderboard holds back (in any split: a copy in train is held back
    /// too); null when the data set can no longer be read, and nothing beyond the run's own figures may be shown.
    /// </summary>
    public IReadOnlySet<string>? Hidden { get; init; } = new HashSet<string>();
    public required string FolderPath { get; init; }

    public int[] Labels => _labels ??= Test.Select(t => (int)t.Label).ToArray();
    public float[] Probabilities => _probabilities ??= Test.Select(t => t.Probability).ToArray();
    int[]? _labels;
    float[]? _probabilities;

    public BinaryEvaluation EvaluateAt(double threshold) => BinaryEvaluation.Compute(Labels, Probabilities, threshold);
    public RocCurve Roc => _roc ??= RocCurve.From(Labels, Probabilities);
    public PrecisionRecallCurve PrecisionRecall => _pr ??= PrecisionRecallCurve.From(Labels, Probabilities);
    RocCurve? _roc;
    PrecisionRecallCurve? _pr;

    /// <summary>Whether the image is predicted right at this threshold.</summary>
    public static bool Correct(ResultImage image, double threshold) => (image.Probability >= threshold ? Label.Pneumonia : Label.Normal) == image.Label;

    /// <summary>Every figure that depends on the threshold, on the visible test images: what the results slider recomputes.</summary>
    public ResultsAtThreshold At(double threshold)
    {
        var evaluation = EvaluateAt(threshold);
        // Most confidently wrong first: a healthy child called PNEUMONIA at 0.99 is a worse mistake than one at 0.51.
        var wrong = Test.Where(t => !Correct(t, threshold))
            .OrderByDescending(ResultsAtThreshold.WrongConfidence).ThenBy(t => t.RelativePath, StringComparer.Ordinal).ToList();
        return new ResultsAtThreshold(threshold, evaluation, ClassificationReport.From(evaluation.ConfusionMatrix), wrong);
    }

    /// <summary>The evaluated checkpoint files (several when their predictions were averaged), as named in run.json.</summary>
    public IReadOnlyList<string> CheckpointFiles =>
        (Record.Test?.Checkpoint ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>The visible test images judged at one threshold.</summary>
public sealed record ResultsAtThreshold(double Threshold, BinaryEvaluation Evaluation, ClassificationReport Report, IReadOnlyList<ResultImage> Misclassified)
{
    public ConfusionMatrix Matrix => Evaluation.ConfusionMatrix;

    /// <summary>How sure the model was of the wrong answer: the probability it gave the class the image does not have.</summary>
    public static double WrongConfidence(ResultImage image) => image.Label == Label.Normal ? image.Probability : 1 - image.Probability;
}

/// <summary>Loads <see cref="RunResults"/> for the signed-in viewer, with the run's ownership checked first.</summary>
public sealed class RunResultsService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    DatasetService datasets,
    HeldOutImages heldOut,
    PortalPaths paths)
{
    /// <summary>Null when the run does not exist, the viewer may not see it, or it has no test results (not finished, or failed).</summary>
    public async Task<RunResults?> LoadAsync(int runId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await RunAccess.CanViewAsync(db, viewer, runId, ct)) return null;
        var run = await db.Runs.AsNoTracking().Include(r => r.Owner).SingleAsync(r => r.Id == runId, ct);
        return await LoadUncheckedAsync(run, ct);
    }

    /// <summary>For callers that checked access themselves (the leaderboard, which scores on the server).</summary>
    internal async Task<RunResults?> LoadUncheckedAsync(TrainingRun run, CancellationToken ct)
    {
        if (run.Status != RunStatus.Succeeded || string.IsNullOrEmpty(run.Folder)) return null;
        var folder = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder));
        if (!File.Exists(folder.RunJson) || !File.Exists(folder.Predictions)) return null;
        var record = folder.ReadRecord();
        if (record.Test is null) return null;

        var active = await datasets.GetActiveAsync(ct);
        // Held back by content: whatever data set the run trained on, an image whose bytes a leaderboard holds back is
        // left out. The run's data set is read once and kept when it is not the active one.
        var catalog = await datasets.CatalogAsync(run.DatasetId, ct);
        var hidden = catalog is null ? null : await heldOut.PathsAsync(catalog, ct);
        var all = folder.ReadPredictions().Where(p => p.Split == "test").ToList();
        // A data set that can no longer be read cannot say what it holds back: no test image is shown.
        var test = all.Where(p => hidden is not null && !hidden.Contains(p.RelativePath))
            .Select(p => new ResultImage(p.RelativePath, p.Label, p.Probability,
                active.Id == run.DatasetId && active.IndexOf(p.RelativePath) is { } index ? active.IdOf(index) : null))
            .ToList();
        return new RunResults
        {
            Run = run,
            OwnerName = run.Owner?.DisplayName ?? "",
            Record = record,
            Test = test,
            Threshold = record.Test.Threshold.Threshold,
            HeldOut = all.Count - test.Count,
            Hidden = hidden,
            FolderPath = folder.Path,
        };
    }
}
