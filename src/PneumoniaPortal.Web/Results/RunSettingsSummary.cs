using System.Globalization;
using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Web.Results;

/// <summary>A run's settings laid out like the set-up form, in words, for the results page.</summary>
public static class RunSettingsSummary
{
    static string N(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
    static string YesNo(bool v) => v ? "yes" : "no";

    public static IReadOnlyList<SettingsSection> Of(RunConfig config)
    {
        var a = config.Architecture;
        var architecture = new List<SettingLine>
        {
            new("Name", a.Name),
            new("Family", a.Family == ArchitectureFamily.ResNet ? "ResNet (residual blocks)" : "Plain conv stack"),
            new("Input", $"{a.InputSize} × {a.InputSize} px, {(a.Channels == 1 ? "grayscale" : "RGB")}"),
        };
        if (a.StemFilters > 0) architecture.Add(new("Stem", $"{a.StemFilters} filters"));
        for (var i = 0; i < a.Blocks.Count; i++)
        {
            var b = a.Blocks[i];
            var parts = new List<string> { $"{b.Filters} filters", $"{b.Kernel}×{b.Kernel}", $"{b.Convs} conv{(b.Convs == 1 ? "" : "s")}", b.Activation.ToString() };
            if (b.BatchNorm) parts.Add("batch norm");
            if (b.Dropout > 0) parts.Add($"dropout {N(b.Dropout)}");
            parts.Add(b.Downsample ? "halves the size" : "keeps the size");
            architecture.Add(new($"Block {i + 1}", string.Join(", ", parts)));
        }
        architecture.Add(new("Head", a.Head == HeadKind.GlobalAveragePool ? "global average pooling" : "flatten"));
        architecture.Add(new("Dense layers", a.DenseUnits.Count == 0 ? "none" : $"{string.Join(" → ", a.DenseUnits)} units, {a.DenseActivation}, dropout {N(a.DenseDropout)}"));

        var g = config.Augmentation;
        var augmentation = g.Enabled
            ? new List<SettingLine>
            {
                new("Augmentation", "on"),
                new("Rotation", $"up to {N(g.RotationDegrees)}°"),
                new("Width shift", $"up to {N(g.WidthShift)} of the width"),
                new("Height shift", $"up to {N(g.HeightShift)} of the height"),
                new("Shear", $"up to {N(g.ShearDegrees)}°"),
                new("Zoom", $"up to {N(g.Zoom)}"),
                new("Horizontal flip", YesNo(g.HorizontalFlip)),
                new("Brightness", $"± {N(g.Brightness)}"),
                new("Contrast", $"± {N(g.Contrast)}"),
            }
            : [new("Augmentation", "off: training images are used as they are")];

        var t = config.Training;
        var training = new List<SettingLine>
        {
            new("Epochs", $"{t.Epochs}" + (t.EarlyStoppingPatience > 0 ? $", stop early after {t.EarlyStoppingPatience} epochs without improvement" : ", no early stopping")),
            new("Batch size", $"{t.BatchSize}"),
            new("Optimizer", t.Optimizer == OptimizerKind.SGD ? $"SGD, momentum {N(t.Momentum)}" : t.Optimizer.ToString()),
            new("Learning rate", N(t.LearningRate) + (t.WarmupEpochs > 0 ? $", {t.WarmupEpochs} warm-up epochs" : "")),
            new("Weight decay", N(t.WeightDecay)),
            new("Schedule", t.Scheduler switch
            {
                SchedulerKind.ReduceOnPlateau => $"reduce ×{N(t.PlateauFactor)} after {t.PlateauPatience} epochs without improvement (min {N(t.MinLearningRate)})",
                SchedulerKind.Cosine => $"cosine down to {N(t.MinLearningRate)}",
                _ => "constant",
            }),
            new("Class imbalance", t.Imbalance switch
            {
                ImbalanceHandling.ClassWeights => "class weights in the loss",
                ImbalanceHandling.BalancedSampling => "balanced sampling",
                _ => "not corrected",
            }),
            new("Label smoothing", N(t.LabelSmoothing)),
            new("Mixup", t.Mixup > 0 ? N(t.Mixup) : "off"),
            new("Per-image standardization", YesNo(t.PerImageStandardization)),
            new("Validation split", $"{N(t.ValidationFraction * 100)}% of train, stratified, seed {t.Seed}"),
            new("Best epoch chosen by", t.SelectBy == SelectionMetric.ValAuc ? "validation AUC" : "validation loss"),
            new("Checkpoints averaged", $"{t.EnsembleTopCheckpoints}"),
            new("Test-time augmentation", YesNo(t.TestTimeAugmentation)),
            new("Threshold rule", t.Threshold),
            new("Device", t.Device),
        };
        if (t.MaxTrainImages > 0) training.Add(new("Training images", $"at most {t.MaxTrainImages}"));

        return
        [
            new("Architecture", architecture),
            new("Augmentation", augmentation),
            new("Training", training),
        ];
    }
}
