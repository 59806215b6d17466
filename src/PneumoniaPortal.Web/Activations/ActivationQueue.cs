using System.Threading.Channels;
using PneumoniaPortal.Training;

namespace PneumoniaPortal.Web.Activations;

/// <summary>
/// Runs inference for the activation and predict tabs one request at a time on a bounded queue, because training
/// shares the same CPU. Keeps the last opened run's model(s) loaded for a few idle minutes, so clicking through
/// images of one run loads the checkpoint once.
/// </summary>
public sealed class ActivationQueue(ILogger<ActivationQueue> log) : BackgroundService
{
    public const int Capacity = 8;
    public static readonly TimeSpan KeepModelLoaded = TimeSpan.FromMinutes(3);

    readonly Channel<Request> _requests = Channel.CreateBounded<Request>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    int _waiting;
    (string Folder, DateTime Written, TrainedRun Run)? _loaded;

    sealed record Request(string RunFolder, Func<TrainedRun, Action<string>, object> Work, IProgress<ActivationProgress>? Progress,
        TaskCompletionSource<object> Done, CancellationToken Cancel, int Ticket);

    int _enqueued, _started;

    /// <summary>
    /// Runs <paramref name="work"/> with the run at <paramref name="runFolder"/> opened, after the requests ahead of it.
    /// Throws <see cref="ActivationQueueFullException"/> at once when the queue is full.
    /// </summary>
    public async Task<T> RunAsync<T>(string runFolder, Func<TrainedRun, Action<string>, T> work,
        IProgress<ActivationProgress>? progress = null, CancellationToken ct = default) where T : notnull
    {
        var done = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ticket = Interlocked.Increment(ref _enqueued);
        Interlocked.Increment(ref _waiting);
        if (!_requests.Writer.TryWrite(new Request(runFolder, (run, say) => work(run, say), progress, done, ct, ticket)))
        {
            Interlocked.Decrement(ref _waiting);
            // Full: the caller is told to come back instead of waiting behind a long line.
            throw Refusal.Busy($"{Capacity} image computations are already waiting; try again in a minute.");
        }
        var ahead = ticket - Volatile.Read(ref _started) - 1;
        progress?.Report(ahead > 0 ? new ActivationProgress($"Waiting: {ahead} computation(s) ahead", ahead) : new ActivationProgress("Starting"));
        await using var _ = ct.Register(() => done.TrySetCanceled(ct));
        return (T)await done.Task;
    }

    /// <summary>How many requests wait or run now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var reader = _requests.Reader;
        while (!stoppingToken.IsCancellationRequested)
        {
            Request request;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                if (_loaded is not null) idle.CancelAfter(KeepModelLoaded);
                try
                {
                    if (!await reader.WaitToReadAsync(idle.Token)) break;
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    Unload("idle");
                    continue;
                }
                catch (OperationCanceledException) { break; }
                if (!reader.TryRead(out request!)) continue;
            }
            Volatile.Write(ref _started, request.Ticket);
            try
            {
                if (request.Cancel.IsCancellationRequested || request.Done.Task.IsCompleted) continue;
                void Say(string message) => request.Progress?.Report(new ActivationProgress(message));
                var run = Open(request.RunFolder, Say);
                request.Done.TrySetResult(request.Work(run, Say));
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Activation request on {Folder} failed", request.RunFolder);
                request.Done.TrySetException(e);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
        Unload("stopping");
    }

    TrainedRun Open(string folder, Action<string> say)
    {
        var written = File.GetLastWriteTimeUtc(new RunFolder(folder).RunJson);
        if (_loaded is { } loaded && loaded.Folder == folder && loaded.Written == written) return loaded.Run;
        Unload("another run");
        say("Loading the model");
        var run = TrainedRun.Open(folder);
        _loaded = (folder, written, run);
        return run;
    }

    void Unload(string why)
    {
        if (_loaded is not { } loaded) return;
        _loaded = null;
        loaded.Run.Dispose();
        log.LogDebug("Unloaded the model of {Folder} ({Why})", loaded.Folder, why);
    }
}
