using System.Globalization;

namespace PneumoniaPortal.Core.Dataset;

/// <summary>
/// A new split of a data set: the share of each label's images that goes to train, validation and test (adding up to
/// one), and the seed that decides which.
/// </summary>
public sealed record ResplitSettings(double Train, double Validation, double Test, int Seed)
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { ("train", Train), ("validation", Validation), ("test", Test) })
            if (double.IsNaN(value) || value is < 0 or > 1)
                problems.Add($"The {name} fraction must be between 0 and 1; it is {value.ToString(CultureInfo.InvariantCulture)}.");
        if (problems.Count > 0) return problems;
        if (Train <= 0 || Test <= 0) problems.Add("Train and test each need a fraction above 0.");
        if (Math.Abs(Train + Validation + Test - 1) > 1e-6)
            problems.Add($"The fractions must add up to 1; {Train.ToString(CultureInfo.InvariantCulture)} + {Validation.ToString(CultureInfo.InvariantCulture)} + {Test.ToString(CultureInfo.InvariantCulture)} = {(Train + Validation + Test).ToString("0.###", CultureInfo.InvariantCulture)}.");
        return problems;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"train {Train:0.###}, validation {Validation:0.###}, test {Test:0.###}, seed {Seed}");
}
