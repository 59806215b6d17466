using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Core.Tests.Settings;

public class SettingsTests
{
    [Fact]
    public void Every_preset_is_valid_as_shipped()
    {
        foreach (var name in ArchitecturePresets.Names)
            Assert.Empty(RunPresets.Get(name).Validate());
    }

    [Fact]
    public void An_absurd_setting_gets_a_message_naming_the_field_and_the_value()
    {
        var config = new RunConfig
        {
            Augmentation = new AugmentationSettings { RotationDegrees = 400, Zoom = -1 },
            Training = new TrainingSettings { Epochs = 0, BatchSize = 5000, Device = "tpu", Threshold = "maybe" },
        };
        var problems = config.Validate();
        Assert.Contains("Rotation must be between 0 and 180 degrees; you entered 400 degrees.", problems);
        Assert.Contains(problems, p => p.StartsWith("Zoom (fraction) must be between 0 and 0.5"));
        Assert.Contains("Epochs must be between 1 and 500; you entered 0.", problems);
        Assert.Contains("Batch size must be between 1 and 1024; you entered 5000.", problems);
        Assert.Contains("Device must be auto, cpu or cuda; you entered 'tpu'.", problems);
        Assert.Contains(problems, p => p.StartsWith("Threshold must be youden"));
        Assert.Equal(6, problems.Count);
    }

    [Fact]
    public void An_architecture_with_an_even_kernel_or_too_many_features_is_explained()
    {
        var spec = new ArchitectureSpec
        {
            InputSize = 256,
            Blocks = [new ConvBlockSpec(64, Kernel: 4, Downsample: false)],
            Head = HeadKind.Flatten,
        };
        var problems = spec.Validate();
        Assert.Contains("Block 1: kernel size must be an odd number from 1 to 11; you entered 4.", problems);
        Assert.Contains(problems, p => p.Contains("256x256x64") && p.Contains("global average pooling"));
    }

    [Theory]
    [InlineData("youden", true)]
    [InlineData("maxf1", true)]
    [InlineData("sensitivity:0.95", true)]
    [InlineData("0.3", true)]
    [InlineData("sensitivity:1.5", false)]
    [InlineData("1", false)]
    [InlineData("", false)]
    public void Threshold_settings_are_read_or_refused(string text, bool ok) =>
        Assert.Equal(ok, ThresholdRuleText.TryParse(text, out _));

    [Fact]
    public void Cli_overrides_change_the_named_fields_and_report_unknown_keys_and_bad_values()
    {
        var (config, problems) = RunConfigOverrides.Apply(RunPresets.Get("cpu-default"),
            ["epochs=3", "imageSize=96", "learningRate=0.01", "optimizer=sgd", "flip=on", "maxTrainImages=200"]);
        Assert.Empty(problems);
        Assert.Equal(3, config.Training.Epochs);
        Assert.Equal(96, config.Architecture.InputSize);
        Assert.Equal(0.01, config.Training.LearningRate);
        Assert.Equal(OptimizerKind.SGD, config.Training.Optimizer);
        Assert.True(config.Augmentation.HorizontalFlip);
        Assert.Equal(200, config.Training.MaxTrainImages);

        var (_, bad) = RunConfigOverrides.Apply(new RunConfig(), ["epochz=3", "epochs=three", "noequals"]);
        Assert.Equal(3, bad.Count);
        Assert.StartsWith("Unknown setting 'epochz'.", bad[0]);
        Assert.Equal("epochs: 'three' is not a whole number.", bad[1]);
        Assert.Contains("key=value", bad[2]);
    }

    [Theory]
    [InlineData("optimizer=1")]
    [InlineData("optimizer=Adam,SGD")]
    [InlineData("scheduler=-1")]
    public void Cli_overrides_take_choices_by_name_only(string setting)
    {
        var (_, problems) = RunConfigOverrides.Apply(new RunConfig(), [setting]);
        Assert.Single(problems);
        Assert.Contains("is not one of", problems[0]);
    }

    [Fact]
    public void A_choice_no_name_has_is_a_problem_of_the_settings_that_hold_it()
    {
        var config = new RunConfig
        {
            Training = new TrainingSettings { Optimizer = (OptimizerKind)9 },
            Architecture = new ArchitectureSpec { Blocks = [new ConvBlockSpec(8, Activation: (Activation)42)] },
        };
        var fields = config.ValidateFields();
        Assert.Contains(fields, p => p.Field == "Training.Optimizer" && p.Message == "Optimizer '9' is not one of Adam, AdamW, RMSprop, SGD.");
        Assert.Contains(fields, p => p.Field == "Architecture.Blocks[0].Activation" && p.Message.Contains("ReLU, LeakyReLU, ELU, GELU, SiLU"));
    }

    [Theory]
    [InlineData("Auc", true)]
    [InlineData(" sensitivityatspecificity ", true)]
    [InlineData("2", false)]
    [InlineData("Auc, F1", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Enum_names_are_read_by_name_alone(string? text, bool ok) =>
        Assert.Equal(ok, PneumoniaPortal.Core.EnumNames.TryParse<PneumoniaPortal.Core.Leaderboards.LeaderboardMetric>(text, out _));

    [Fact]
    public void An_unknown_preset_lists_the_real_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => RunPresets.Get("vgg"));
        Assert.Contains("cpu-default, seed-cnn, chollet-small, resnet18", e.Message);
    }
}

public class DatasetSplitterTests
{
    static List<ImageRecord> Images(int normal, int pneumonia, int test = 10)
    {
        var list = new List<ImageRecord>();
        for (var i = 0; i < normal; i++) list.Add(new($"train/NORMAL/n{i:D4}.jpeg", Split.Train, Label.Normal, "normal", 10, 10, $"n{i}", 1));
        for (var i = 0; i < pneumonia; i++) list.Add(new($"train/PNEUMONIA/p{i:D4}_bacteria.jpeg", Split.Train, Label.Pneumonia, "bacteria", 10, 10, $"p{i}", 1));
        for (var i = 0; i < test; i++) list.Add(new($"test/NORMAL/t{i:D4}.jpeg", Split.Test, Label.Normal, "normal", 10, 10, $"t{i}", 1));
        return list;
    }

    [Fact]
    public void Validation_is_stratified_seeded_and_disjoint_from_train_and_test()
    {
        var images = Images(300, 900);
        var a = DatasetSplitter.Carve(images, 0.1, seed: 1);
        var b = DatasetSplitter.Carve(images, 0.1, seed: 1);
        var c = DatasetSplitter.Carve(images, 0.1, seed: 2);

        Assert.Equal(30, a.Validation.Count(i => i.Label == Label.Normal));
        Assert.Equal(90, a.Validation.Count(i => i.Label == Label.Pneumonia));
        Assert.Equal(1080, a.Train.Count);
        Assert.Equal(10, a.Test.Count);
        Assert.Empty(a.Train.Intersect(a.Validation));
        Assert.Equal(a.Validation, b.Validation);
        Assert.NotEqual(a.Validation, c.Validation);
    }

    [Fact]
    public void Byte_identical_copies_never_straddle_train_and_validation()
    {
        var images = Images(200, 200).Select((im, i) => i < 400 ? im with { Md5 = $"dup{i / 2}" } : im).ToList(); // pairs (0,1), (2,3)...: same label, same bytes
        for (var seed = 0; seed < 5; seed++)
        {
            var s = DatasetSplitter.Carve(images, 0.2, seed);
            Assert.Empty(s.Train.Select(i => i.Md5).Intersect(s.Validation.Select(i => i.Md5)));
        }
    }

    [Fact]
    public void A_cap_on_training_images_keeps_the_class_balance()
    {
        var s = DatasetSplitter.Carve(Images(300, 900), 0.1, seed: 3, maxTrainImages: 400);
        var kept = s.Train.Concat(s.Validation).ToList();
        Assert.InRange(kept.Count, 398, 402);
        Assert.InRange(kept.Count(i => i.Label == Label.Normal), 99, 101);
    }

    [Fact]
    public void One_childs_images_stay_on_one_side_of_the_validation_split()
    {
        var images = new List<ImageRecord>();
        for (var p = 0; p < 100; p++)
            for (var k = 0; k < 3; k++)
                images.Add(new($"train/PNEUMONIA/person{p}_bacteria_{p * 10 + k}.jpeg", Split.Train, Label.Pneumonia, "bacteria", 10, 10, $"m{p}-{k}", 1));
        for (var p = 0; p < 60; p++)
            images.Add(new($"train/NORMAL/IM-{p:D4}-0001.jpeg", Split.Train, Label.Normal, "normal", 10, 10, $"n{p}", 1));
        var s = DatasetSplitter.Carve(images, 0.2, seed: 11);
        var trainPatients = s.Train.Select(i => KaggleLayout.PatientOf(i.RelativePath)).ToHashSet();
        Assert.DoesNotContain(s.Validation, i => trainPatients.Contains(KaggleLayout.PatientOf(i.RelativePath)));
        Assert.InRange(s.Validation.Count(i => i.Label == Label.Pneumonia), 60, 62);
    }

    [Theory]
    [InlineData("train/PNEUMONIA/person1261_virus_2147.jpeg", "person1261")]
    [InlineData("train/PNEUMONIA/PERSON7_bacteria_33.jpeg", "person7")]
    [InlineData("test/NORMAL/NORMAL2-IM-0256-0001.jpeg", "NORMAL2-IM-0256")]
    [InlineData("train/NORMAL/IM-0115-0001.jpeg", "IM-0115")]
    // A second image of the same child carries one more number.
    [InlineData("train/NORMAL/IM-0439-0001-0002.jpeg", "IM-0439")]
    [InlineData("train/NORMAL/NORMAL2-IM-0416-0001-0002.jpeg", "NORMAL2-IM-0416")]
    [InlineData("train/NORMAL/scan.png", null)]
    public void The_patient_is_read_from_Kaggle_file_names(string path, string? patient) =>
        Assert.Equal(patient, KaggleLayout.PatientOf(path));
}
