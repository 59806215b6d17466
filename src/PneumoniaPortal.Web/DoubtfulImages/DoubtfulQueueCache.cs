namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>
/// The latest ranking of each data set, shared by every visitor of its queue: rebuilt when its key changes or after
/// <see cref="Lifetime"/>, by one caller at a time (a class opening the page at once ranks once).
/// </summary>
public sealed class DoubtfulQueueCache(TimeProvider? time = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    readonly TimeProvider _time = time ?? TimeProvider.System;
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly System.Collections.Concurrent.ConcurrentDictionary<int, Cached> _latest = new();
    int _builds;

    /// <summary>How many times a ranking was built (for tests and logs).</summary>
    public int Builds => Volatile.Read(ref _builds);

    public async Task<DoubtfulSnapshot> GetOrBuildAsync(DoubtfulQueueKey key, Func<Task<DoubtfulSnapshot>> build, CancellationToken ct)
    {
        if (Fresh(key) is { } hit) return hit;
        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh(key) is { } built) return built;
            var snapshot = await build();
            Interlocked.Increment(ref _builds);
            _latest[key.DatasetId] = new Cached(key, snapshot, _time.GetUtcNow());
            return snapshot;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Forgets the ranking (the next visitor ranks again).</summary>
    public void Clear() => _latest.Clear();

    sealed record Cached(DoubtfulQueueKey Key, DoubtfulSnapshot Snapshot, DateTimeOffset At);

    DoubtfulSnapshot? Fresh(DoubtfulQueueKey key) =>
        _latest.TryGetValue(key.DatasetId, out var latest) && latest.Key == key && _time.GetUtcNow() - latest.At < Lifetime ? latest.Snapshot : null;
}
