using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// The speed of each queue's workers, shared by every node through the database: a worker writes what it measured
/// at start and corrects it after each epoch; the run form and <see cref="RunService"/> read it to estimate a run.
/// Until a worker has measured itself, the reference machine's speed stands in.
/// </summary>
public sealed class WorkerSpeeds(IDbContextFactory<PortalDbContext> dbFactory, WorkerIdentity worker, TimeProvider time)
{
    static readonly TimeSpan Fresh = TimeSpan.FromSeconds(15);
    readonly Lock _lock = new();
    // Two runs of this process ending an epoch at once (or an epoch and the start-up measurement) write one at a time:
    // the first inserts the queue's row, the second updates it, instead of failing on its unique key.
    readonly SemaphoreSlim _writing = new(1, 1);
    readonly Dictionary<string, (ComputeSpeed Speed, DateTimeOffset Read)> _read = new();

    /// <summary>The speed of the workers of <paramref name="queue"/> (read again at most every 15 s).</summary>
    public async Task<ComputeSpeed> ForQueueAsync(string queue, CancellationToken ct = default)
    {
        lock (_lock)
            if (_read.TryGetValue(queue, out var known) && time.GetUtcNow() - known.Read < Fresh) return known.Speed;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.WorkerSpeeds.AsNoTracking().FirstOrDefaultAsync(w => w.Queue == queue, ct);
        var speed = row is null ? ComputeSpeed.Reference : new ComputeSpeed(row.SecondsPerMac, row.SecondsPerValue, row.Correction, row.Device, row.MeasuredAt);
        lock (_lock) _read[queue] = (speed, time.GetUtcNow());
        return speed;
    }

    /// <summary>A worker's own measurement; the correction its queue has learned from real epochs is kept.</summary>
    public Task MeasuredAsync(string queue, ComputeSpeed measured, CancellationToken ct = default) =>
        UpdateAsync(queue, old => measured with { Correction = old?.Correction ?? measured.Correction }, ct);

    /// <summary>After an epoch of <paramref name="config"/> took <paramref name="seconds"/>: the queue's correction learns from it.</summary>
    public Task EpochTookAsync(string queue, RunConfig config, int poolImages, int testImages, double seconds, CancellationToken ct = default) =>
        UpdateAsync(queue, old =>
        {
            var speed = old ?? ComputeSpeed.Reference;
            var planned = RunEstimate.For(config, poolImages, testImages, speed);
            return speed.Learn(planned.EpochSeconds / speed.Correction, seconds, time.GetUtcNow());
        }, ct);

    async Task UpdateAsync(string queue, Func<ComputeSpeed?, ComputeSpeed> change, CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try { await WriteAsync(queue, change, ct); }
        finally { _writing.Release(); }
    }

    async Task WriteAsync(string queue, Func<ComputeSpeed?, ComputeSpeed> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.WorkerSpeeds.FirstOrDefaultAsync(w => w.Queue == queue, ct);
        var old = row is null ? null : new ComputeSpeed(row.SecondsPerMac, row.SecondsPerValue, row.Correction, row.Device, row.MeasuredAt);
        var speed = change(old);
        row ??= db.WorkerSpeeds.Add(new WorkerSpeed { Queue = queue }).Entity;
        (row.SecondsPerMac, row.SecondsPerValue, row.Correction, row.Device, row.MeasuredAt, row.Worker) =
            (speed.SecondsPerMac, speed.SecondsPerValue, speed.Correction, speed.Device, speed.MeasuredAt, worker.Name);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return; } // a worker on another node wrote at the same moment; its figure stands
        lock (_lock) _read[queue] = (speed, time.GetUtcNow());
    }
}
