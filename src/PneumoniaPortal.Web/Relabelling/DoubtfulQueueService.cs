using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Analysis;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Datasets;
using PneumoniaPortal.Web.Leaderboards;

namespace PneumoniaPortal.Web.Relabelling;

/// <summary>One image in the doubtful queue, addressed in the active data set.</summary>
public sealed record DoubtfulEntry(int Index, DoubtfulImage Doubt);

/// <summary>
/// The doubtful-image queue: the active data set's images (at their newest labels) ranked by evidence. Images a
/// leaderboard holds back never appear (their labels must not leave the server).
/// </summary>
public sealed partial class DoubtfulQueueService(
    IDbContextFactory<PortalDbContext> dbFactory,
    DatasetService datasets,
    HeldOutImages heldOut,
    BlindLabellingService blind,
    PortalPaths paths)
{
    public async Task<IReadOnlyList<DoubtfulEntry>> RankAsync(CancellationToken ct = default)
    {
        var active = await datasets.GetActiveAsync(ct);
        var hidden = await heldOut.PathsAsync(active.Id, active.Catalog, ct);
        var images = active.Catalog.Images.Where(i => !hidden.Contains(i.RelativePath)).ToList();
        var ranked = DoubtfulImages.Rank(images, await OpinionsAsync(active.Id, ct), NearDuplicateGroups(active, images), await blind.VotesAsync(active.Id, ct));
        return ranked.Select(d => new DoubtfulEntry(active.IndexOf(d.Image.RelativePath)!.Value, d)).ToList();
    }

    /// <summary>Every finished run's stored probability per image (validation and test predictions), anonymous.</summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<RunOpinion>>> OpinionsAsync(int datasetId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.Runs.AsNoTracking().Where(r => r.DatasetId == datasetId && r.Status == RunStatus.Succeeded && r.Folder != "")
            .Select(r => new { r.Id, r.Folder }).ToListAsync(ct);
        var opinions = new Dictionary<string, List<RunOpinion>>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            var file = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder)).Predictions;
            if (!File.Exists(file)) continue;
            foreach (var row in RunResultsService.ReadPredictions(file))
            {
                if (!opinions.TryGetValue(row.RelativePath, out var list)) opinions[row.RelativePath] = list = [];
                list.Add(new RunOpinion($"run {run.Id}", row.Probability));
            }
        }
        return opinions.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<RunOpinion>)kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Near-duplicate groups as positions in <paramref name="images"/>; none yet (perceptual hashes come next).</summary>
    static IReadOnlyList<IReadOnlyList<int>> NearDuplicateGroups(ActiveDataset active, IReadOnlyList<ImageRecord> images) => [];
}
