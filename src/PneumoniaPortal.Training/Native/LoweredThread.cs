using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace PneumoniaPortal.Training.Native;

/// <summary>
/// Runs work on a thread of its own at a lowered priority (a Linux nice value), while the calling thread keeps its
/// priority and runs the work's callbacks. On Linux a new thread inherits the nice value of the thread that starts
/// it, and .NET's thread pool starts its threads from whichever thread asks for one: a pool thread (or the pool's
/// gate thread) started from a lowered thread would serve pages at the lower priority for the rest of its life. So
/// the lowered thread only computes, starting plain threads of its own at most; whatever may reach the thread pool
/// (database writes, SignalR messages, async code) goes through <see cref="Relay{T}"/> and runs on the calling thread.
/// </summary>
public sealed class LoweredThread : IDisposable
{
    readonly BlockingCollection<Action> _inbox = new();
    readonly int _callerThread = Environment.CurrentManagedThreadId;

    /// <summary>Whether the work's thread runs at the asked priority; false where the system refused or is not Linux.</summary>
    public bool Lowered { get; private set; }

    /// <summary>
    /// Reports that run on the thread that called <see cref="Run{T}"/>, in order; the reporter waits for each, and an
    /// exception thrown there is thrown to the reporter.
    /// </summary>
    public IProgress<T> Relay<T>(Action<T> handler) => new Relayed<T>(this, handler);

    /// <summary>
    /// Runs <paramref name="work"/> on a new thread named <paramref name="name"/> at nice value <paramref name="nice"/>,
    /// and meanwhile runs the relayed reports here. Returns the work's result, or throws its exception.
    /// </summary>
    public T Run<T>(string name, int nice, Func<T> work)
    {
        if (Environment.CurrentManagedThreadId != _callerThread)
            throw new InvalidOperationException("Run must be called on the thread that created the LoweredThread: that thread runs the relayed reports.");
        if (_inbox.IsAddingCompleted) throw new InvalidOperationException("A LoweredThread runs one piece of work.");
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Lowered = ThreadNice.TrySet(nice);
                result = work();
            }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally { _inbox.CompleteAdding(); }
        })
        { Name = name, IsBackground = true };
        thread.Start();
        foreach (var report in _inbox.GetConsumingEnumerable()) report();
        thread.Join();
        failure?.Throw();
        return result;
    }

    void Post(Action action)
    {
        if (Environment.CurrentManagedThreadId == _callerThread)
        {
            action();
            return;
        }
        // ManualResetEventSlim and BlockingCollection wait with Monitor, never through the thread pool.
        using var done = new ManualResetEventSlim();
        ExceptionDispatchInfo? failure = null;
        _inbox.Add(() =>
        {
            try { action(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        });
        done.Wait();
        failure?.Throw();
    }

    public void Dispose() => _inbox.Dispose();

    sealed class Relayed<T>(LoweredThread owner, Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => owner.Post(() => handler(value));
    }
}
