using PneumoniaPortal.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PneumoniaPortal.Training.Models;

/// <summary>
/// The network built from an <see cref="ArchitectureSpec"/>: an optional stem, named blocks (<c>block1</c>..), and a
/// <c>head</c> ending in one logit (PNEUMONIA). Layer names are what students see in the summary and mosaics.
/// </summary>
public sealed class PneumoniaNet : Module<Tensor, Tensor>
{
    readonly List<(string Name, Module<Tensor, Tensor> Module)> _features = [];
    readonly Sequential _head;
    readonly int _channels;

    public ArchitectureSpec Spec { get; }

    public PneumoniaNet(ArchitectureSpec spec) : base("PneumoniaNet")
    {
        InvalidSettingsException.ThrowIfAny(spec.Validate());
        Spec = spec;
        _channels = spec.Channels;
        long inChannels = spec.Channels;
        if (spec.StemFilters > 0)
        {
            var stem = spec.Family == ArchitectureFamily.ResNet
                ? Sequential(
                    ("conv", Conv2d(inChannels, spec.StemFilters, 7, stride: 2, padding: 3, bias: false)),
                    ("bn", BatchNorm2d(spec.StemFilters)),
                    ("act", ReLU(inplace: true)),
                    ("pool", MaxPool2d(3, stride: 2, padding: 1)))
                : Sequential(
                    ("conv", Conv2d(inChannels, spec.StemFilters, 3, stride: 2, padding: 1, bias: false)),
                    ("bn", BatchNorm2d(spec.StemFilters)),
                    ("act", ReLU(inplace: true)));
            Add("stem", stem);
            inChannels = spec.StemFilters;
        }

        for (var i = 0; i < spec.Blocks.Count; i++)
        {
            var block = spec.Blocks[i];
            Add(spec.Family == ArchitectureFamily.ResNet ? $"stage{i + 1}" : $"block{i + 1}",
                spec.Family == ArchitectureFamily.ResNet ? ResNetStage(inChannels, block) : PlainBlock(inChannels, block));
            inChannels = block.Filters;
        }

        var head = new List<(string, Module<Tensor, Tensor>)>();
        long features;
        if (spec.Head == HeadKind.GlobalAveragePool)
        {
            head.Add(("pool", AdaptiveAvgPool2d(1)));
            features = inChannels;
        }
        else
        {
            features = inChannels * spec.FinalMapSize * spec.FinalMapSize;
        }
        head.Add(("flatten", Flatten()));
        for (var d = 0; d < spec.DenseUnits.Count; d++)
        {
            head.Add(($"dense{d + 1}", Linear(features, spec.DenseUnits[d])));
            head.Add(($"act{d + 1}", MakeActivation(spec.DenseActivation)));
            if (spec.DenseDropout > 0) head.Add(($"drop{d + 1}", Dropout(spec.DenseDropout)));
            features = spec.DenseUnits[d];
        }
        if (spec.DenseUnits.Count == 0 && spec.DenseDropout > 0) head.Add(("drop", Dropout(spec.DenseDropout)));
        head.Add(("output", Linear(features, 1)));
        _head = Sequential(head);
        register_module("head", _head);
    }

    void Add(string name, Module<Tensor, Tensor> module)
    {
        _features.Add((name, module));
        register_module(name, module);
    }

    /// <summary>Named feature stages in forward order (stem, block1..), for summaries, mosaics and Grad-CAM.</summary>
    public IReadOnlyList<(string Name, Module<Tensor, Tensor> Module)> FeatureStages => _features;

    public Sequential Head => _head;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = ToModelChannels(input);
        foreach (var (_, module) in _features) x = module.call(x);
        return _head.call(x).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Gray input [B,1,H,W] becomes the spec's channel count (X-rays are gray; RGB nets see three equal channels).</summary>
    public Tensor ToModelChannels(Tensor input) =>
        _channels == 3 && input.shape[1] == 1 ? input.expand(-1, 3, -1, -1) : input.alias();

    static Sequential PlainBlock(long inChannels, ConvBlockSpec b)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        for (var c = 1; c <= b.Convs; c++)
        {
            layers.Add(($"conv{c}", Conv2d(c == 1 ? inChannels : b.Filters, b.Filters, b.Kernel, padding: b.Kernel / 2, bias: !b.BatchNorm)));
            if (b.BatchNorm) layers.Add(($"bn{c}", BatchNorm2d(b.Filters)));
            layers.Add(($"act{c}", MakeActivation(b.Activation)));
        }
        if (b.Downsample) layers.Add(("pool", MaxPool2d(2)));
        if (b.Dropout > 0) layers.Add(("drop", Dropout2d(b.Dropout)));
        return Sequential(layers);
    }

    static Sequential ResNetStage(long inChannels, ConvBlockSpec b)
    {
        var blocks = new List<(string, Module<Tensor, Tensor>)>();
        for (var i = 1; i <= b.Convs; i++)
        {
            blocks.Add(($"basic{i}", new BasicBlock(i == 1 ? inChannels : b.Filters, b.Filters, i == 1 && b.Downsample ? 2 : 1, b.Kernel, b.Activation)));
        }
        if (b.Dropout > 0) blocks.Add(("drop", Dropout2d(b.Dropout)));
        return Sequential(blocks);
    }

    internal static Module<Tensor, Tensor> MakeActivation(Activation a) => a switch
    {
        Activation.LeakyReLU => LeakyReLU(0.1, inplace: true),
        Activation.ELU => ELU(inplace: true),
        Activation.GELU => GELU(),
        Activation.SiLU => SiLU(),
        _ => ReLU(inplace: true),
    };
}

/// <summary>torchvision's ResNet basic block: two 3x3 conv+BN, a shortcut (1x1 conv+BN when the shape changes), then the activation.</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    readonly Conv2d conv1, conv2;
    readonly BatchNorm2d bn1, bn2;
    readonly Module<Tensor, Tensor> act;
    readonly Sequential? shortcut;

    public BasicBlock(long inChannels, long filters, long stride, int kernel, Activation activation) : base("BasicBlock")
    {
        conv1 = Conv2d(inChannels, filters, kernel, stride: stride, padding: kernel / 2, bias: false);
        bn1 = BatchNorm2d(filters);
        conv2 = Conv2d(filters, filters, kernel, padding: kernel / 2, bias: false);
        bn2 = BatchNorm2d(filters);
        act = PneumoniaNet.MakeActivation(activation);
        if (stride != 1 || inChannels != filters)
            shortcut = Sequential(("conv", Conv2d(inChannels, filters, 1, stride: stride, bias: false)), ("bn", BatchNorm2d(filters)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = act.call(bn1.call(conv1.call(x)));
        y = bn2.call(conv2.call(y));
        y = y + (shortcut is null ? x : shortcut.call(x));
        return act.call(y).MoveToOuterDisposeScope();
    }
}
