using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// At start, once: leaderboards made before their held-back images were stored with them get those images now, chosen
/// from their data set exactly as before (same share and seed, labels as imported), so nothing moves.
/// </summary>
public sealed class HeldBackBackfill(IDbContextFactory<PortalDbContext> dbFactory, DatasetService datasets, ILogger<HeldBackBackfill> log) : IPortalStartupStep
{
    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var missing = await db.Leaderboards.Where(l => !l.HeldBack.Any()).ToListAsync(ct);
        foreach (var board in missing)
        {
            if (await datasets.CatalogAsync(board.DatasetId, ct) is not { } catalog)
            {
                log.LogWarning("Leaderboard {Id}: its data set {Dataset} cannot be read, so the images it holds back are not known yet", board.Id, board.DatasetId);
                continue;
            }
            board.HeldBack.AddRange(HeldOutImages.Rows(LeaderboardSplit.Choose(catalog.Original.Images, board.HeldOutFraction, board.Seed)));
            log.LogInformation("Leaderboard {Id}: stored the {Count} test images it holds back", board.Id, board.HeldBack.Count);
        }
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { log.LogInformation("Another node stored the held-back images first"); }
    }
}
