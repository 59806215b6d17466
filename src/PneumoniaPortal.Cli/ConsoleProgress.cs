using PneumoniaPortal.Core.Runs;

namespace PneumoniaPortal.Cli;

/// <summary>A progress bar per epoch on a terminal; one line per epoch when output is redirected (scripts, CI logs).</summary>
public sealed class ConsoleProgress(TextWriter output, bool interactive)
{
    readonly Lock _gate = new();

    public IProgress<BatchProgress> Batches => new Reporter<BatchProgress>(b =>
    {
        if (!interactive) return;
        const int width = 30;
        var filled = (int)Math.Round(width * (double)b.Batch / b.Batches);
        lock (_gate)
            output.Write($"\repoch {b.Epoch,3} [{new string('#', filled)}{new string('.', width - filled)}] {b.Batch}/{b.Batches}  loss {b.RunningLoss:0.0000}  {b.ImagesPerSecond:0} img/s   ");
    });

    public IProgress<EpochMetrics> Epochs => new Reporter<EpochMetrics>(m =>
    {
        lock (_gate)
        {
            if (interactive) output.Write("\r" + new string(' ', 100) + "\r");
            output.WriteLine(
                $"epoch {m.Epoch,3}  loss {m.Train.Loss:0.0000}  acc {m.Train.Accuracy:0.000}  | val loss {m.Validation.Loss:0.0000}  acc {m.Validation.Accuracy:0.000}  " +
                $"auc {m.Validation.Auc:0.000}  sens {m.Validation.Recall:0.000}  spec {m.Validation.Specificity:0.000}  | lr {m.LearningRate:0.0e+0}  {m.Seconds:0.0}s  " +
                $"{m.ImagesPerSecond:0} img/s  data {m.DataWaitFraction:P1}{(m.IsBest ? "  *best" : "")}");
        }
    });

    public IProgress<string> Messages => new Reporter<string>(s => { lock (_gate) output.WriteLine(s); });

    /// <summary>Reports synchronously on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
