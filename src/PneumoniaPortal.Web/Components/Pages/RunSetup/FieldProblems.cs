using System.Text.RegularExpressions;
using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Web.Components.Pages.RunSetup;

/// <summary>The problems of one section of the set-up form, looked up by field so each message sits beside its field.</summary>
public sealed partial class FieldProblems(IReadOnlyList<SettingsProblem> problems)
{
    public static FieldProblems None { get; } = new([]);

    public IReadOnlyList<SettingsProblem> All => problems;

    public bool Any => problems.Count > 0;

    /// <summary>The problems of a run config whose field starts with <paramref name="section"/>, with that prefix taken off.</summary>
    public static FieldProblems Of(IEnumerable<SettingsProblem> all, string section) =>
        new(all.Where(p => p.Field.StartsWith(section + ".", StringComparison.Ordinal))
            .Select(p => p with { Field = p.Field[(section.Length + 1)..] })
            .ToList());

    /// <summary>Every message about this field, joined; null when the field is fine.</summary>
    public string? Error(string field)
    {
        var messages = problems.Where(p => p.Field == field).Select(p => p.Message).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>A class naming the field (<c>Blocks[2].Filters</c> becomes <c>setting-Blocks-2-Filters</c>), for styling and tests.</summary>
    public static string CssClass(string field) => "setting-" + NotAName().Replace(field, "-").Trim('-');

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NotAName();
}
