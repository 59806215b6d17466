namespace PneumoniaPortal.Core.Settings;

/// <summary>A preset's architecture together with the training and augmentation settings that suit it.</summary>
public static class RunPresets
{
    public static RunConfig Get(string name)
    {
        var architecture = ArchitecturePresets.Get(name);
        return name switch
        {
            // Measured in docs/benchmarks.md: ~11 min on 2 cores for the full train split.
            ArchitecturePresets.CpuDefault => new RunConfig
            {
                Architecture = architecture,
                Augmentation = new AugmentationSettings { RotationDegrees = 15, WidthShift = 0.08, HeightShift = 0.08, ShearDegrees = 8, Zoom = 0.2, Brightness = 0.3, Contrast = 0.3 },
                Training = new TrainingSettings
                {
                    Epochs = 12, BatchSize = 32, LearningRate = 2e-3, Optimizer = OptimizerKind.AdamW, WeightDecay = 1e-4,
                    Scheduler = SchedulerKind.Cosine, WarmupEpochs = 1, EarlyStoppingPatience = 0, SelectBy = SelectionMetric.ValLoss,
                    Imbalance = ImbalanceHandling.BalancedSampling, LabelSmoothing = 0.1, PerImageStandardization = true,
                },
            },
            ArchitecturePresets.ResNet18 => new RunConfig
            {
                Architecture = architecture,
                Training = new TrainingSettings { Epochs = 10, BatchSize = 32, LearningRate = 1e-3, Optimizer = OptimizerKind.AdamW, WeightDecay = 1e-4, Scheduler = SchedulerKind.Cosine, WarmupEpochs = 1, EarlyStoppingPatience = 0 },
            },
            ArchitecturePresets.CholletSmall => new RunConfig
            {
                Architecture = architecture,
                Training = new TrainingSettings { Epochs = 15, BatchSize = 32, LearningRate = 1e-4, Optimizer = OptimizerKind.RMSprop },
            },
            _ => new RunConfig
            {
                Architecture = architecture,
                Training = new TrainingSettings { Epochs = 10, BatchSize = 32, LearningRate = 1e-3, Optimizer = OptimizerKind.Adam },
            },
        };
    }
}
