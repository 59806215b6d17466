using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Core.Tests.Settings;

/// <summary>The set-up form puts each message beside its field, so every problem must name the property it is about.</summary>
public class SettingsFieldTests
{
    [Fact]
    public void A_range_problem_is_filed_under_the_property_it_checks()
    {
        var problems = new AugmentationSettings { RotationDegrees = 400, Zoom = -1 }.ValidateFields();
        Assert.Equal(["RotationDegrees", "Zoom"], problems.Select(p => p.Field));
        Assert.Equal("Rotation must be between 0 and 180 degrees; you entered 400 degrees.", problems[0].Message);
    }

    [Fact]
    public void Training_problems_name_their_fields_including_device_and_threshold()
    {
        var problems = new TrainingSettings { Epochs = 0, ValidationFraction = 0.9, Device = "tpu", Threshold = "maybe" }.ValidateFields();
        Assert.Equal(["Epochs", "ValidationFraction", "Device", "Threshold"], problems.Select(p => p.Field));
    }

    [Fact]
    public void A_block_problem_is_keyed_by_the_block_position_and_property()
    {
        var spec = ArchitecturePresets.CpuDefaultSpec with
        {
            Channels = 2,
            Blocks = [new ConvBlockSpec(16), new ConvBlockSpec(0), new ConvBlockSpec(32, Kernel: 4, Dropout: 1.5)],
            DenseUnits = [0],
        };
        var fields = spec.ValidateFields().Select(p => p.Field).ToList();
        Assert.Equal(["Channels", "Blocks[1].Filters", "Blocks[2].Kernel", "Blocks[2].Dropout", "DenseUnits"], fields);
        Assert.StartsWith("Block 2: filters", spec.ValidateFields()[1].Message);
    }

    [Fact]
    public void Too_many_downsampling_blocks_are_a_problem_of_the_block_list()
    {
        var spec = new ArchitectureSpec { InputSize = 32, Blocks = [.. Enumerable.Repeat(new ConvBlockSpec(8), 6)] };
        Assert.Equal("Blocks", Assert.Single(spec.ValidateFields()).Field);
    }

    [Fact]
    public void A_run_config_prefixes_each_field_with_its_section()
    {
        var config = new RunConfig
        {
            Architecture = ArchitecturePresets.CpuDefaultSpec with { InputSize = 8 },
            Augmentation = new AugmentationSettings { ShearDegrees = 90 },
            Training = new TrainingSettings { BatchSize = 0 },
        };
        Assert.Equal(["Architecture.InputSize", "Augmentation.ShearDegrees", "Training.BatchSize"],
            config.ValidateFields().Select(p => p.Field));
    }

    [Fact]
    public void Field_problems_carry_exactly_the_messages_that_validate_returns()
    {
        var config = new RunConfig
        {
            Architecture = new ArchitectureSpec { Blocks = [], Channels = 5 },
            Augmentation = new AugmentationSettings { Brightness = 2 },
            Training = new TrainingSettings { LearningRate = 5, Device = "gpu" },
        };
        Assert.Equal(config.Validate(), config.ValidateFields().Select(p => p.Message));
        Assert.Empty(RunPresets.Get(ArchitecturePresets.SeedCnn).ValidateFields());
    }
}
