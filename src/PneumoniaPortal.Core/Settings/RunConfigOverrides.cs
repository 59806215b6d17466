using System.Globalization;

namespace PneumoniaPortal.Core.Settings;

/// <summary>
/// Applies <c>key=value</c> settings (the CLI's <c>--set</c>) to a run config. Unknown keys and unreadable values get a
/// message naming the key; range checks are left to each record's <c>Validate()</c>.
/// </summary>
public static class RunConfigOverrides
{
    static readonly Dictionary<string, Func<RunConfig, string, RunConfig>> Setters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["epochs"] = (c, v) => c with { Training = c.Training with { Epochs = Int(v) } },
        ["imageSize"] = (c, v) => c with { Architecture = c.Architecture with { InputSize = Int(v) } },
        ["channels"] = (c, v) => c with { Architecture = c.Architecture with { Channels = Int(v) } },
        ["batchSize"] = (c, v) => c with { Training = c.Training with { BatchSize = Int(v) } },
        ["learningRate"] = (c, v) => c with { Training = c.Training with { LearningRate = Num(v) } },
        ["seed"] = (c, v) => c with { Training = c.Training with { Seed = Int(v) } },
        ["maxTrainImages"] = (c, v) => c with { Training = c.Training with { MaxTrainImages = Int(v) } },
        ["optimizer"] = (c, v) => c with { Training = c.Training with { Optimizer = Enum<OptimizerKind>(v) } },
        ["momentum"] = (c, v) => c with { Training = c.Training with { Momentum = Num(v) } },
        ["weightDecay"] = (c, v) => c with { Training = c.Training with { WeightDecay = Num(v) } },
        ["scheduler"] = (c, v) => c with { Training = c.Training with { Scheduler = Enum<SchedulerKind>(v) } },
        ["warmupEpochs"] = (c, v) => c with { Training = c.Training with { WarmupEpochs = Int(v) } },
        ["plateauPatience"] = (c, v) => c with { Training = c.Training with { PlateauPatience = Int(v) } },
        ["earlyStopping"] = (c, v) => c with { Training = c.Training with { EarlyStoppingPatience = Int(v) } },
        ["selectBy"] = (c, v) => c with { Training = c.Training with { SelectBy = Enum<SelectionMetric>(v) } },
        ["imbalance"] = (c, v) => c with { Training = c.Training with { Imbalance = Enum<ImbalanceHandling>(v) } },
        ["labelSmoothing"] = (c, v) => c with { Training = c.Training with { LabelSmoothing = Num(v) } },
        ["perImageNorm"] = (c, v) => c with { Training = c.Training with { PerImageStandardization = Bool(v) } },
        ["mixup"] = (c, v) => c with { Training = c.Training with { Mixup = Num(v) } },
        ["stemFilters"] = (c, v) => c with { Architecture = c.Architecture with { StemFilters = Int(v) } },
        ["validationFraction"] = (c, v) => c with { Training = c.Training with { ValidationFraction = Num(v) } },
        ["device"] = (c, v) => c with { Training = c.Training with { Device = v.Trim().ToLowerInvariant() } },
        ["tta"] = (c, v) => c with { Training = c.Training with { TestTimeAugmentation = Bool(v) } },
        ["ensemble"] = (c, v) => c with { Training = c.Training with { EnsembleTopCheckpoints = Int(v) } },
        ["threshold"] = (c, v) => c with { Training = c.Training with { Threshold = v.Trim() } },
        ["augment"] = (c, v) => c with { Augmentation = c.Augmentation with { Enabled = Bool(v) } },
        ["rotation"] = (c, v) => c with { Augmentation = c.Augmentation with { RotationDegrees = Num(v) } },
        ["widthShift"] = (c, v) => c with { Augmentation = c.Augmentation with { WidthShift = Num(v) } },
        ["heightShift"] = (c, v) => c with { Augmentation = c.Augmentation with { HeightShift = Num(v) } },
        ["shear"] = (c, v) => c with { Augmentation = c.Augmentation with { ShearDegrees = Num(v) } },
        ["zoom"] = (c, v) => c with { Augmentation = c.Augmentation with { Zoom = Num(v) } },
        ["flip"] = (c, v) => c with { Augmentation = c.Augmentation with { HorizontalFlip = Bool(v) } },
        ["brightness"] = (c, v) => c with { Augmentation = c.Augmentation with { Brightness = Num(v) } },
        ["contrast"] = (c, v) => c with { Augmentation = c.Augmentation with { Contrast = Num(v) } },
        ["denseDropout"] = (c, v) => c with { Architecture = c.Architecture with { DenseDropout = Num(v) } },
    };

    public static IEnumerable<string> Keys => Setters.Keys;

    /// <summary>Applies each <c>key=value</c>; returns the new config, or every problem found.</summary>
    public static (RunConfig Config, IReadOnlyList<string> Problems) Apply(RunConfig config, IEnumerable<string> assignments)
    {
        var problems = new List<string>();
        foreach (var assignment in assignments)
        {
            var eq = assignment.IndexOf('=');
            if (eq <= 0)
            {
                problems.Add($"'{assignment}' is not a setting: write key=value, e.g. epochs=10.");
                continue;
            }
            var key = assignment[..eq].Trim();
            var value = assignment[(eq + 1)..];
            if (!Setters.TryGetValue(key, out var set))
            {
                problems.Add($"Unknown setting '{key}'. Known settings: {string.Join(", ", Setters.Keys)}.");
                continue;
            }
            try
            {
                config = set(config, value);
            }
            catch (FormatException e)
            {
                problems.Add($"{key}: {e.Message}");
            }
        }
        return (config, problems);
    }

    static int Int(string v) => int.TryParse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
        ? i : throw new FormatException($"'{v}' is not a whole number.");

    static double Num(string v) => double.TryParse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
        ? d : throw new FormatException($"'{v}' is not a number.");

    static bool Bool(string v) => v.Trim().ToLowerInvariant() switch
    {
        "true" or "on" or "yes" or "1" => true,
        "false" or "off" or "no" or "0" => false,
        _ => throw new FormatException($"'{v}' is not on/off (true/false)."),
    };

    static T Enum<T>(string v) where T : struct, System.Enum => EnumNames.TryParse<T>(v, out var e)
        ? e : throw new FormatException($"'{v}' is not one of {EnumNames.Allowed<T>()}.");
}
