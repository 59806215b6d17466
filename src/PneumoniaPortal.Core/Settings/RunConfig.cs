namespace PneumoniaPortal.Core.Settings;

/// <summary>Everything that defines a training run: what a student sets in the three sections of the set-up form.</summary>
public sealed record RunConfig
{
    public ArchitectureSpec Architecture { get; init; } = ArchitecturePresets.CpuDefaultSpec;
    public AugmentationSettings Augmentation { get; init; } = new();
    public TrainingSettings Training { get; init; } = new();

    public IReadOnlyList<string> Validate() =>
        [.. Architecture.Validate(), .. Augmentation.Validate(), .. Training.Validate()];
}
