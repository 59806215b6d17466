using System.Runtime.CompilerServices;

namespace PneumoniaPortal.Core.Settings;

/// <summary>
/// One problem of a settings record: the property it is about (e.g. <c>RotationDegrees</c>,
/// <c>Blocks[2].Filters</c>, or <c>Augmentation.Zoom</c> for a whole run) and the message in words.
/// An empty <see cref="Field"/> means the problem is about the record as a whole.
/// </summary>
public sealed record SettingsProblem(string Field, string Message)
{
    public SettingsProblem Under(string prefix) => this with { Field = Field.Length == 0 ? prefix : $"{prefix}.{Field}" };
}

/// <summary>Collects every problem of a settings record in words a student understands, with the field it is about.</summary>
internal sealed class SettingsProblems
{
    readonly List<SettingsProblem> _problems = [];

    public IReadOnlyList<SettingsProblem> Fields => _problems;

    public IReadOnlyList<string> Problems => _problems.Select(p => p.Message).ToList();

    /// <param name="field">Defaults to the expression passed as <paramref name="value"/>, so <c>Range(Zoom, ...)</c> files it under <c>Zoom</c>.</param>
    public void Range(double value, double min, double max, string what, string unit = "", [CallerArgumentExpression(nameof(value))] string field = "")
    {
        if (double.IsNaN(value) || value < min || value > max)
            _problems.Add(new(field, $"{what} must be between {Show(min)} and {Show(max)}{unit}; you entered {Show(value)}{unit}."));
    }

    public void Check(bool ok, string message, string field = "")
    {
        if (!ok) _problems.Add(new(field, message));
    }

    /// <summary>A choice must be one of its names (a number sent by a script names nothing).</summary>
    public void Named<T>(T value, string what, [CallerArgumentExpression(nameof(value))] string field = "") where T : struct, Enum
    {
        if (!EnumNames.IsNamed(value)) _problems.Add(new(field, EnumNames.Problem<T>(value.ToString(), what)));
    }

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
