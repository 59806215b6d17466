using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Relabelling;

/// <summary>
/// Blind labelling practice (issue 5): instructors pick images, students label them without seeing the label or each
/// other's answers; the answers feed the doubtful queue.
/// </summary>
public sealed partial class BlindLabellingService(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Every blind answer on a data set's images, counted per image (for the doubtful queue).</summary>
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
}
