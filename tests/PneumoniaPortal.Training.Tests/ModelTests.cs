using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Training.Native;
using static TorchSharp.torch;

namespace PneumoniaPortal.Training.Tests;

public class ModelTests
{
    public ModelTests() => TorchRuntime.EnsureReady();

    [Theory]
    [InlineData(ArchitecturePresets.CpuDefault)]
    [InlineData(ArchitecturePresets.SeedCnn)]
    [InlineData(ArchitecturePresets.CholletSmall)]
    [InlineData(ArchitecturePresets.ResNet18)]
    public void Every_preset_builds_and_gives_one_logit_per_image(string preset)
    {
        var spec = ArchitecturePresets.Get(preset) with { InputSize = 128 };
        using var net = new PneumoniaNet(spec);
        using var x = rand(2, 1, 128, 128);
        using var y = net.call(x);
        Assert.Equal(new long[] { 2 }, y.shape);
    }

    [Fact]
    public void ResNet18_has_the_torchvision_parameter_count_for_one_output()
    {
        // torchvision resnet18: 11,689,512 params with a 1000-class fc (513,000) and a 3-channel stem.
        using var net = new PneumoniaNet(ArchitecturePresets.ResNet18Spec);
        Assert.Equal(11_689_512 - 513_000 + 513, LayerSummarizer.Summarize(net).TotalParameters);
    }

    [Fact]
    public void The_summary_names_layers_for_people_with_shapes_and_parameters()
    {
        var spec = new ArchitectureSpec
        {
            InputSize = 64,
            Channels = 1,
            Blocks = [new ConvBlockSpec(8, BatchNorm: true), new ConvBlockSpec(16, Convs: 2, Dropout: 0.1)],
            DenseUnits = [32],
        };
        using var net = new PneumoniaNet(spec);
        var summary = LayerSummarizer.Summarize(net);
        var names = summary.Layers.Select(l => l.Name).ToList();
        Assert.Equal(["input", "block1.conv1", "block1.bn1", "block1.act1", "block1.pool",
            "block2.conv1", "block2.bn1", "block2.act1", "block2.conv2", "block2.bn2", "block2.act2", "block2.pool", "block2.drop",
            "head.pool", "head.flatten", "head.dense1", "head.act1", "head.output"], names);
        Assert.Equal(new long[] { 8, 32, 32 }, summary.Layers.Single(l => l.Name == "block1.pool").OutputShape);
        Assert.Equal(new long[] { 16, 16, 16 }, summary.Layers.Single(l => l.Name == "block2.pool").OutputShape);
        // conv 3x3 1->8 without bias (batch norm follows) = 72; bn = 16; dense 16->32 = 544; output 33.
        Assert.Equal(72, summary.Layers.Single(l => l.Name == "block1.conv1").Parameters);
        Assert.Equal(16, summary.Layers.Single(l => l.Name == "block1.bn1").Parameters);
        Assert.Equal(544, summary.Layers.Single(l => l.Name == "head.dense1").Parameters);
        Assert.Equal(summary.Layers.Sum(l => l.Parameters), summary.TotalParameters);
        Assert.Contains("block2.conv2", summary.ToText());
    }

    [Fact]
    public void A_spec_that_shrinks_the_image_below_one_pixel_is_refused_with_a_reason()
    {
        var spec = new ArchitectureSpec { InputSize = 32, Blocks = Enumerable.Repeat(new ConvBlockSpec(8), 6).ToArray() };
        var e = Assert.Throws<InvalidSettingsException>(() => new PneumoniaNet(spec));
        Assert.Contains(e.Problems, p => p.Contains("below 1 pixel"));
    }
}
