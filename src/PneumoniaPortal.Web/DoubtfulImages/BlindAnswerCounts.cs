using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>
/// The class's blind practice answers as evidence for the doubtful queue: how often each image was called NORMAL and
/// PNEUMONIA. (Practice itself picks its images from the queue, so this reading lives here, not in the practice service.)
/// </summary>
public sealed class BlindAnswerCounts(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Every blind answer on a data set's images, counted per image.</summary>
    public async Task<IReadOnlyDictionary<string, BlindVotes>> VotesAsync(int datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var answers = await db.BlindLabels.AsNoTracking()
            .Join(db.BlindLabellingItems, a => a.ItemId, i => i.Id, (a, i) => new { i.RelativePath, i.SetId, a.Label })
            .Join(db.BlindLabellingSets.Where(s => s.DatasetId == datasetId), x => x.SetId, s => s.Id, (x, s) => new { x.RelativePath, x.Label })
            .ToListAsync(ct);
        return answers.GroupBy(a => a.RelativePath, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new BlindVotes(g.Count(a => a.Label == Label.Normal), g.Count(a => a.Label == Label.Pneumonia)), StringComparer.Ordinal);
    }

    /// <summary>How many blind answers a data set's images have (a new one changes the queue).</summary>
    public static Task<int> CountAsync(PortalDbContext db, int datasetId, CancellationToken ct) =>
        db.BlindLabels
            .Join(db.BlindLabellingItems, a => a.ItemId, i => i.Id, (a, i) => i.SetId)
            .Join(db.BlindLabellingSets.Where(s => s.DatasetId == datasetId), setId => setId, s => s.Id, (setId, s) => s.Id)
            .CountAsync(ct);
}
