namespace PneumoniaPortal.Core.Settings;

/// <summary>The presets a student starts from (README, "Command line"); each is a plain spec they can then edit.</summary>
public static class ArchitecturePresets
{
    public const string CpuDefault = "cpu-default", SeedCnn = "seed-cnn", CholletSmall = "chollet-small", ResNet18 = "resnet18";

    public static IReadOnlyList<string> Names { get; } = [CpuDefault, SeedCnn, CholletSmall, ResNet18];

    public static ArchitectureSpec Get(string name) => name switch
    {
        CpuDefault => CpuDefaultSpec,
        SeedCnn => SeedCnnSpec,
        CholletSmall => CholletSmallSpec,
        ResNet18 => ResNet18Spec,
        _ => throw new ArgumentException($"Unknown preset '{name}'. Choose one of: {string.Join(", ", Names)}."),
    };

    /// <summary>Small, fast on 2 CPU cores: five BN-ReLU blocks and global average pooling.</summary>
    public static ArchitectureSpec CpuDefaultSpec { get; } = new()
    {
        Name = CpuDefault,
        InputSize = 128,
        Channels = 1,
        Blocks =
        [
            new(16), new(32), new(64), new(128, Convs: 2), new(256, Convs: 2, Dropout: 0.2),
        ],
        Head = HeadKind.GlobalAveragePool,
        DenseUnits = [64],
        DenseDropout = 0.3,
    };

    /// <summary>The seed notebook's CNN: 8 blocks 8->1024 filters, LeakyReLU, batch norm from block 3, dense 1024, 300 px.</summary>
    public static ArchitectureSpec SeedCnnSpec { get; } = new()
    {
        Name = SeedCnn,
        InputSize = 300,
        Channels = 3,
        Blocks = Enumerable.Range(0, 8).Select(i => new ConvBlockSpec(
            Filters: 8 << i,
            Convs: 1,
            BatchNorm: i >= 2,
            Dropout: i >= 5 ? 0.2 : 0,
            Activation: Activation.LeakyReLU,
            Downsample: i < 7)).ToArray(),
        Head = HeadKind.Flatten,
        DenseUnits = [1024],
        DenseDropout = 0.5,
        DenseActivation = Activation.LeakyReLU,
    };

    /// <summary>Chollet's small convnet (Deep Learning with Python, cats vs dogs): 4 conv 32-64-128-128, dense 512, 150 px.</summary>
    public static ArchitectureSpec CholletSmallSpec { get; } = new()
    {
        Name = CholletSmall,
        InputSize = 150,
        Channels = 3,
        Blocks = [new(32, BatchNorm: false), new(64, BatchNorm: false), new(128, BatchNorm: false), new(128, BatchNorm: false)],
        Head = HeadKind.Flatten,
        DenseUnits = [512],
        DenseDropout = 0.5,
    };

    /// <summary>torchvision's ResNet-18 layout (stem 64 + 4 stages of 2 basic blocks), trained from scratch.</summary>
    public static ArchitectureSpec ResNet18Spec { get; } = new()
    {
        Name = ResNet18,
        Family = ArchitectureFamily.ResNet,
        InputSize = 224,
        Channels = 3,
        StemFilters = 64,
        Blocks = [new(64, Convs: 2, Downsample: false), new(128, Convs: 2), new(256, Convs: 2), new(512, Convs: 2)],
        Head = HeadKind.GlobalAveragePool,
    };
}
