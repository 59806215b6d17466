namespace PneumoniaPortal.Core.Settings;

public enum Activation { ReLU, LeakyReLU, ELU, GELU, SiLU }

/// <summary>Plain: a stack of conv blocks. ResNet: each block is a stage of residual basic blocks.</summary>
public enum ArchitectureFamily { Plain, ResNet }

/// <summary>How the last feature maps become one vector: flatten all of them (Keras style) or average each map.</summary>
public enum HeadKind { GlobalAveragePool, Flatten }

/// <summary>
/// One conv block: <see cref="Convs"/> convolutions of <see cref="Filters"/> filters, optional batch norm after each,
/// the activation, then 2x2 max pooling (Plain) or a stride-2 first convolution (ResNet stage), then dropout.
/// For a ResNet stage, <see cref="Convs"/> is the number of basic blocks in the stage.
/// </summary>
public sealed record ConvBlockSpec(
    int Filters,
    int Kernel = 3,
    int Convs = 1,
    bool BatchNorm = true,
    double Dropout = 0,
    Activation Activation = Activation.ReLU,
    bool Downsample = true);

/// <summary>A network the student can edit: presets are plain instances of this record.</summary>
public sealed record ArchitectureSpec
{
    public string Name { get; init; } = "custom";
    public ArchitectureFamily Family { get; init; } = ArchitectureFamily.Plain;
    public int InputSize { get; init; } = 128;
    public int Channels { get; init; } = 1;
    /// <summary>Stride-2 first convolution (a "stem") for ResNet-style nets; 0 = none.</summary>
    public int StemFilters { get; init; }
    public IReadOnlyList<ConvBlockSpec> Blocks { get; init; } = [];
    public HeadKind Head { get; init; } = HeadKind.GlobalAveragePool;
    public IReadOnlyList<int> DenseUnits { get; init; } = [];
    public double DenseDropout { get; init; }
    public Activation DenseActivation { get; init; } = Activation.ReLU;

    /// <summary>Spatial size of the feature maps after the last block, the way the model builder computes it.</summary>
    public int FinalMapSize
    {
        get
        {
            var size = InputSize;
            if (StemFilters > 0) size = (size + 1) / 2;
            if (Family == ArchitectureFamily.ResNet && StemFilters > 0) size = (size + 1) / 2; // stem max pool
            foreach (var b in Blocks)
                if (b.Downsample) size = Family == ArchitectureFamily.ResNet ? (size + 1) / 2 : size / 2;
            return size;
        }
    }

    public IReadOnlyList<string> Validate() => [.. ValidateFields().Select(p => p.Message)];

    /// <summary>
    /// The same problems as <see cref="Validate"/>, each with the property it is about; block fields are keyed by their
    /// zero-based position, e.g. <c>Blocks[2].Filters</c> for the block the messages call "Block 3".
    /// </summary>
    public IReadOnlyList<SettingsProblem> ValidateFields()
    {
        var p = new SettingsProblems();
        p.Range(InputSize, 32, 512, "Input size", " pixels");
        p.Check(Channels is 1 or 3, $"Channels must be 1 (grayscale) or 3 (RGB); you entered {Channels}.", nameof(Channels));
        p.Check(Blocks.Count is >= 1 and <= 12, $"The network needs between 1 and 12 conv blocks; it has {Blocks.Count}.", nameof(Blocks));
        p.Range(StemFilters, 0, 512, "Stem filters");
        for (var i = 0; i < Blocks.Count; i++)
        {
            var b = Blocks[i];
            var name = $"Block {i + 1}";
            var key = $"{nameof(Blocks)}[{i}]";
            p.Range(b.Filters, 1, 2048, $"{name}: filters", field: $"{key}.{nameof(b.Filters)}");
            p.Check(b.Kernel is >= 1 and <= 11 && b.Kernel % 2 == 1, $"{name}: kernel size must be an odd number from 1 to 11; you entered {b.Kernel}.", $"{key}.{nameof(b.Kernel)}");
            p.Range(b.Convs, 1, 6, $"{name}: convolutions per block", field: $"{key}.{nameof(b.Convs)}");
            p.Range(b.Dropout, 0, 0.9, $"{name}: dropout", field: $"{key}.{nameof(b.Dropout)}");
            p.Named(b.Activation, $"{name}: activation", $"{key}.{nameof(b.Activation)}");
        }
        p.Named(Family, "Architecture family");
        p.Named(Head, "Head");
        p.Named(DenseActivation, "Dense activation");
        p.Check(DenseUnits.Count <= 4, $"At most 4 dense layers; there are {DenseUnits.Count}.", nameof(DenseUnits));
        foreach (var units in DenseUnits) p.Range(units, 1, 8192, "Dense units", field: nameof(DenseUnits));
        p.Range(DenseDropout, 0, 0.9, "Dense dropout");
        if (Blocks.Count is >= 1 and <= 12 && InputSize is >= 32 and <= 512)
            p.Check(FinalMapSize >= 1,
                $"{Blocks.Count(b => b.Downsample)} downsampling blocks shrink a {InputSize}px image below 1 pixel; use fewer downsampling blocks or a bigger input.", nameof(Blocks));
        if (Head == HeadKind.Flatten && Blocks.Count > 0 && FinalMapSize >= 1)
        {
            var flat = (long)FinalMapSize * FinalMapSize * Blocks[^1].Filters;
            p.Check(flat <= 1_000_000, $"Flattening {FinalMapSize}x{FinalMapSize}x{Blocks[^1].Filters} gives {flat:N0} features, too many for the dense layer; use global average pooling or more downsampling.", nameof(Head));
        }
        return p.Fields;
    }
}
