using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Results;

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

        // Held back by content: whatever data set the run trained on, an image whose bytes a leaderboard holds back is
        // left out. The run's data set is read once and kept (DatasetService).
        var dataset = await datasets.FindAsync(run.DatasetId, ct);
        var hidden = dataset is null ? null : await heldOut.PathsAsync(dataset.Catalog, ct);
        var predictions = folder.ReadPredictions();
        var all = predictions.Where(p => p.Split == "test").ToList();
        // A data set that can no longer be read cannot say what it holds back: no test image is shown.
        var test = all.Where(p => hidden is not null && !hidden.Contains(p.RelativePath))
            .Select(p => new ResultImage(p.RelativePath, p.Label, p.Probability,
                dataset?.IndexOf(p.RelativePath) is { } index ? dataset.IdOf(index) : null))
            .ToList();
        // The validation images the run chose its checkpoint and threshold on, less any copy of a held-back image.
        var validation = predictions.Where(p => p.Split == "val" && hidden is not null && !hidden.Contains(p.RelativePath))
            .Select(p => new ResultImage(p.RelativePath, p.Label, p.Probability, null))
            .ToList();
        return new RunResults
        {
            Validation = validation,
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
