using System.Collections.Concurrent;

namespace PneumoniaPortal.Web.Runs;

/// <summary>Cancel switches of the runs training in this process, so Cancel stops a run within one batch.</summary>
public sealed class RunCancellation
{
    readonly ConcurrentDictionary<int, CancellationTokenSource> _running = new();

    public CancellationTokenSource Register(int runId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[runId] = cts;
        return cts;
    }

    public void Unregister(int runId) => _running.TryRemove(runId, out _);

    /// <summary>True when the run trains here and was told to stop.</summary>
    public bool Cancel(int runId)
    {
        if (!_running.TryGetValue(runId, out var cts)) return false;
        try { cts.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
