namespace PneumoniaPortal.Core.Settings;

/// <summary>Everything that defines a training run: what a student sets in the three sections of the set-up form.</summary>
public sealed record RunConfig
{
    public ArchitectureSpec Architecture { get; init; } = ArchitecturePresets.CpuDefaultSpec;
    public AugmentationSettings Augmentation { get; init; } = new();
    public TrainingSettings Training { get; init; } = new();

    public IReadOnlyList<string> Validate() => [.. ValidateFields().Select(p => p.Message)];

    /// <summary>Every problem keyed by section and property, e.g. <c>Augmentation.RotationDegrees</c> or <c>Architecture.Blocks[0].Kernel</c>.</summary>
    public IReadOnlyList<SettingsProblem> ValidateFields() =>
    [
        .. Architecture.ValidateFields().Select(p => p.Under(nameof(Architecture))),
        .. Augmentation.ValidateFields().Select(p => p.Under(nameof(Augmentation))),
        .. Training.ValidateFields().Select(p => p.Under(nameof(Training))),
    ];
}
