namespace PneumoniaPortal.Core.Settings;

/// <summary>Collects every problem of a settings record in words a student understands.</summary>
internal sealed class SettingsProblems
{
    readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    public void Range(double value, double min, double max, string what, string unit = "")
    {
        if (double.IsNaN(value) || value < min || value > max)
            _problems.Add($"{what} must be between {Show(min)} and {Show(max)}{unit}; you entered {Show(value)}{unit}.");
    }

    public void Check(bool ok, string message)
    {
        if (!ok) _problems.Add(message);
    }

    public void AddRange(IEnumerable<string> more) => _problems.AddRange(more);

    static string Show(double v) => v.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Thrown when settings that failed <c>Validate()</c> are used anyway; carries every problem.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems)
    : ArgumentException(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    public static void ThrowIfAny(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0) throw new InvalidSettingsException(problems);
    }
}
