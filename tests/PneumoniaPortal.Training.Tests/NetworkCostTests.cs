using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Training.Native;

namespace PneumoniaPortal.Training.Tests;

/// <summary>The cost counted from a spec alone must describe the network the model builder really makes.</summary>
public class NetworkCostTests
{
    public NetworkCostTests() => TorchRuntime.EnsureReady();

    public static TheoryData<string, int> Specs => new()
    {
        { ArchitecturePresets.CpuDefault, 128 }, { ArchitecturePresets.SeedCnn, 300 }, { ArchitecturePresets.CholletSmall, 150 },
        { ArchitecturePresets.ResNet18, 224 }, { ArchitecturePresets.ResNet18, 97 }, { ArchitecturePresets.SeedCnn, 128 },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_counted_parameters_are_the_built_networks(string preset, int size)
    {
        var spec = ArchitecturePresets.Get(preset) with { InputSize = size };
        using var net = new PneumoniaNet(spec);
        Assert.Equal(LayerSummarizer.Summarize(net).TotalParameters, (long)NetworkCost.Of(spec).Parameters);
    }

    [Fact]
    public void Odd_kernels_stems_flatten_heads_and_shortcuts_are_counted_like_the_builder()
    {
        ArchitectureSpec[] specs =
        [
            new() { InputSize = 65, Channels = 3, StemFilters = 12, Blocks = [new(8, Kernel: 5, Convs: 3, BatchNorm: false), new(24, Kernel: 1)], Head = HeadKind.Flatten, DenseUnits = [17, 5] },
            new() { Family = ArchitectureFamily.ResNet, InputSize = 70, Channels = 1, StemFilters = 16, Blocks = [new(16, Convs: 1, Downsample: false), new(40, Kernel: 5, Convs: 3)], Head = HeadKind.Flatten },
            new() { Family = ArchitectureFamily.ResNet, InputSize = 48, Channels = 1, Blocks = [new(8, Convs: 2), new(8, Convs: 1, Downsample: false)], DenseUnits = [9] },
        ];
        foreach (var spec in specs)
        {
            using var net = new PneumoniaNet(spec);
            Assert.Equal(LayerSummarizer.Summarize(net).TotalParameters, (long)NetworkCost.Of(spec).Parameters);
        }
    }

    [Fact]
    public void Multiply_adds_are_those_of_a_hand_counted_network()
    {
        // 32x32 gray; conv 3x3 to 4 (same size) + BN; pool to 16x16; global pool; dense 4->1.
        var spec = new ArchitectureSpec { InputSize = 32, Channels = 1, Blocks = [new(4)], Head = HeadKind.GlobalAveragePool };
        var cost = NetworkCost.Of(spec);
        Assert.Equal(32 * 32 * 4 * 9 + 4, cost.ForwardMacs);
        Assert.Equal(9 * 4 + 2 * 4 + 4 + 1, cost.Parameters);
        // input, conv, bn, act (3 x 4x32x32), pool 4x16x16, global pool 4.
        Assert.Equal(32 * 32 + 3 * 4 * 32 * 32 + 4 * 16 * 16 + 4, cost.ActivationValues);
    }

    [Fact]
    public void An_absurd_spec_is_priced_without_building_it()
    {
        var spec = new ArchitectureSpec
        {
            InputSize = 512, Channels = 3,
            Blocks = Enumerable.Range(0, 8).Select(_ => new ConvBlockSpec(2048, Kernel: 11, Convs: 6, Downsample: false)).ToArray(),
        };
        var cost = NetworkCost.Of(spec);
        Assert.True(cost.Parameters > 2e10, $"{cost.Parameters:E2} weights");
        Assert.True(cost.ForwardMacs > 5e15, $"{cost.ForwardMacs:E2} multiply-adds");
        Assert.True(cost.BatchMemoryBytes(1024) > 1e14, $"{cost.BatchMemoryBytes(1024):E2} bytes");
    }
}
