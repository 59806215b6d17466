using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>Reads and writes a run's per-epoch rows.</summary>
public static class RunHistory
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<LiveEpoch>> ReadAsync(PortalDbContext db, int runId, CancellationToken ct = default)
    {
        var rows = await db.RunEpochs.Where(e => e.RunId == runId).OrderBy(e => e.Epoch).Select(e => e.MetricsJson).ToListAsync(ct);
        return rows.Select(r => JsonSerializer.Deserialize<LiveEpoch>(r, Json)!).ToList();
    }

    public static string Serialize(LiveEpoch epoch) => JsonSerializer.Serialize(epoch, Json);
}
