using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// While a worker trains a run: every few seconds writes the heartbeat that tells other nodes the worker lives, and
/// reads whether a cancel was pressed on another node. When the run is no longer this worker's (another node declared
/// it lost and another worker took it), it is <see cref="Lost"/> and training stops without writing anything more.
/// </summary>
public sealed class RunHeartbeat : IDisposable
{
    readonly IDbContextFactory<PortalDbContext> _dbFactory;
    readonly RunLifecycle _lifecycle;
    readonly ILogger _log;
    readonly RunClaim _claim;
    readonly Timer _timer;
    volatile bool _lost;

    public RunHeartbeat(IDbContextFactory<PortalDbContext> dbFactory, RunLifecycle lifecycle, TrainingOptions options, ILogger log,
        RunClaim claim, CancellationTokenSource training)
    {
        (_dbFactory, _lifecycle, _log, _claim) = (dbFactory, lifecycle, log, claim);
        var period = TimeSpan.FromSeconds(Math.Max(0.2, Math.Min(options.CancelPollSeconds, options.HeartbeatSeconds)));
        _timer = new Timer(_ => Beat(training), null, period, period);
    }

    /// <summary>Set when another node took the run away (its heartbeat looked stale); the worker then writes nothing more.</summary>
    public bool Lost => _lost;

    void Beat(CancellationTokenSource training)
    {
        var runId = _claim.Run.Id;
        try
        {
            if (training.IsCancellationRequested) return;
            using var db = _dbFactory.CreateDbContext();
            var now = DateTimeOffset.UtcNow;
            var mine = db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.Worker == _claim.Worker)
                .ExecuteUpdate(s => s.SetProperty(r => r.HeartbeatAt, now));
            if (mine == 0) _lost = true;
            if (_lost || db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).Single()) training.Cancel();
        }
        catch (ObjectDisposedException) { }
        // A database that is briefly down must not stop training; the epochs wait for it (RunLifecycle.Patiently).
        catch (Exception e) { _log.LogWarning("Heartbeat of run {RunId} failed: {Error}", runId, e.Message); }
    }

    /// <summary>
    /// Before anything is written to the run folder: this worker must still hold the run's latest claim. A worker whose
    /// heartbeat went stale (a database outage, a pause) and whose run another worker has taken over stops here without
    /// writing a byte; while the database cannot be asked, it waits rather than write blind.
    /// </summary>
    public void EnsureStillMine(string what)
    {
        var run = _claim.Run;
        var mine = false;
        _lifecycle.Patiently(() =>
        {
            using var db = _dbFactory.CreateDbContext();
            mine = db.Runs.Any(r => r.Id == run.Id && r.ClaimNumber == _claim.Number && r.Worker == _claim.Worker && r.Status == RunStatus.Running);
        });
        if (mine) return;
        _lost = true;
        _log.LogWarning("Run {RunId} is no longer this worker's (claim {Claim}); {What} was not written", run.Id, _claim.Number, what);
        throw new OperationCanceledException($"Run {run.Id} belongs to another worker now.");
    }

    public void Dispose() => _timer.Dispose();
}
