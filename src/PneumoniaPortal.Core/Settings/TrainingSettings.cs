namespace PneumoniaPortal.Core.Settings;

public enum OptimizerKind { Adam, AdamW, RMSprop, SGD }

/// <summary>ReduceOnPlateau: cut the learning rate when validation loss stalls. Cosine: warm up, then decay smoothly to 0.</summary>
public enum SchedulerKind { None, ReduceOnPlateau, Cosine }

/// <summary>How the imbalance (about 3 PNEUMONIA images per NORMAL one) is handled during training.</summary>
public enum ImbalanceHandling { None, ClassWeights, BalancedSampling }

/// <summary>The validation figure that picks the best epoch (for early stopping and the evaluated checkpoint).</summary>
public enum SelectionMetric { ValLoss, ValAuc }

public sealed record TrainingSettings
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; }
    public SchedulerKind Scheduler { get; init; } = SchedulerKind.ReduceOnPlateau;
    public double PlateauFactor { get; init; } = 0.3;
    public int PlateauPatience { get; init; } = 2;
    public double MinLearningRate { get; init; } = 1e-6;
    /// <summary>Cosine schedule only: epochs of linear warm-up (capped at all but the last epoch).</summary>
    public int WarmupEpochs { get; init; }
    /// <summary>Stop after this many epochs without improvement of <see cref="SelectBy"/>; 0 = never stop early.</summary>
    public int EarlyStoppingPatience { get; init; } = 5;
    public SelectionMetric SelectBy { get; init; } = SelectionMetric.ValLoss;
    public ImbalanceHandling Imbalance { get; init; } = ImbalanceHandling.ClassWeights;
    /// <summary>Soft targets (0.05 = 0.025/0.975 instead of 0/1); a little helps generalisation.</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Mixup strength α (0 = off): each training image is blended with another, and so is its label, by a Beta(α, α) share.</summary>
    public double Mixup { get; init; }
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Centre each image by its own mean and spread instead of the training set's: ignores exposure differences between X-ray machines.</summary>
    public bool PerImageStandardization { get; init; }
    public int Seed { get; init; } = 42;
    /// <summary>auto (CUDA when available), cpu or cuda.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Use at most this many training images (stratified, seeded); 0 = all. For quick experiments.</summary>
    public int MaxTrainImages { get; init; }
    /// <summary>Average the prediction of each image and its mirror image at evaluation.</summary>
    public bool TestTimeAugmentation { get; init; }
    /// <summary>Average the predictions of this many best checkpoints (chosen on validation) at evaluation; 1 = only the best.</summary>
    public int EnsembleTopCheckpoints { get; init; } = 1;
    /// <summary>How the decision threshold is chosen on the validation split: youden, maxf1, sensitivity:0.95 or a fixed number.</summary>
    public string Threshold { get; init; } = "sensitivity:0.95";

    public IReadOnlyList<string> Validate() => [.. ValidateFields().Select(p => p.Message)];

    /// <summary>The same problems as <see cref="Validate"/>, each with the property it is about (e.g. <c>BatchSize</c>).</summary>
    public IReadOnlyList<SettingsProblem> ValidateFields()
    {
        var p = new SettingsProblems();
        p.Range(Epochs, 1, 500, "Epochs");
        p.Range(BatchSize, 1, 1024, "Batch size");
        p.Range(LearningRate, 1e-7, 1, "Learning rate");
        p.Range(Momentum, 0, 0.999, "Momentum");
        p.Range(WeightDecay, 0, 0.1, "Weight decay");
        p.Range(PlateauFactor, 0.01, 0.99, "Learning-rate reduction factor");
        p.Range(PlateauPatience, 0, 100, "Learning-rate patience", " epochs");
        p.Range(MinLearningRate, 0, 1, "Minimum learning rate");
        p.Range(WarmupEpochs, 0, 50, "Warm-up epochs");
        p.Range(EarlyStoppingPatience, 0, 500, "Early-stopping patience", " epochs");
        p.Range(LabelSmoothing, 0, 0.4, "Label smoothing");
        p.Range(Mixup, 0, 2, "Mixup strength");
        p.Range(ValidationFraction, 0.02, 0.5, "Validation fraction");
        p.Range(MaxTrainImages, 0, 10_000_000, "Maximum training images");
        p.Range(EnsembleTopCheckpoints, 1, 20, "Checkpoints in the ensemble");
        p.Named(Optimizer, "Optimizer");
        p.Named(Scheduler, "Scheduler");
        p.Named(SelectBy, "Best-epoch metric");
        p.Named(Imbalance, "Class imbalance handling");
        p.Check(Device is "auto" or "cpu" or "cuda", $"Device must be auto, cpu or cuda; you entered '{Device}'.", nameof(Device));
        p.Check(ThresholdRuleText.TryParse(Threshold, out _), ThresholdRuleText.Help(Threshold), nameof(Threshold));
        return p.Fields;
    }
}

/// <summary>Parses the threshold setting: "youden", "maxf1", "sensitivity:0.95" or a number such as "0.5".</summary>
public static class ThresholdRuleText
{
    public readonly record struct Parsed(string Rule, double Value);

    public static bool TryParse(string text, out Parsed parsed)
    {
        var t = (text ?? "").Trim().ToLowerInvariant();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        parsed = default;
        if (t is "youden" or "maxf1") { parsed = new(t, 0); return true; }
        if (t.StartsWith("sensitivity:") && double.TryParse(t["sensitivity:".Length..], System.Globalization.NumberStyles.Float, inv, out var s) && s is > 0 and < 1)
        { parsed = new("sensitivity", s); return true; }
        if (double.TryParse(t, System.Globalization.NumberStyles.Float, inv, out var f) && f is > 0 and < 1)
        { parsed = new("fixed", f); return true; }
        return false;
    }

    public static string Help(string text) =>
        $"Threshold must be youden, maxf1, sensitivity:<0..1> (e.g. sensitivity:0.95) or a number between 0 and 1; you entered '{text}'.";
}
