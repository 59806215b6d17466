namespace PneumoniaPortal.Core.Runs;

/// <summary>The figures of one side (train or validation) of one epoch; train figures come from the augmented batches as seen during the epoch.</summary>
public sealed record SplitMetrics(double Loss, double Accuracy, double Precision, double Recall, double Specificity, double Auc);

/// <summary>One finished epoch, as streamed to the run page and stored in the run's history.</summary>
public sealed record EpochMetrics(
    int Epoch,
    SplitMetrics Train,
    SplitMetrics Validation,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond,
    /// <summary>Fraction of the epoch's training time spent waiting for the next batch.</summary>
    double DataWaitFraction,
    bool IsBest,
    long ProcessMemoryBytes);

/// <summary>Progress inside an epoch, for progress bars.</summary>
public sealed record BatchProgress(int Epoch, int Batch, int Batches, double RunningLoss, double ImagesPerSecond);
