using System.Globalization;
using System.Text.Json;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training;

namespace PneumoniaPortal.Web.Compare;

/// <summary>Flattens run settings into "Section.Field" → value rows, in the order the set-up form shows them.</summary>
public static class SettingsDiff
{
    public const string Missing = "—";

    /// <summary>Every setting of any of the configs, one row each; blocks read "Architecture.Blocks[0].Filters".</summary>
    public static IReadOnlyList<SettingsRow> Rows(IReadOnlyList<RunConfig> configs)
    {
        var flat = configs.Select(Flatten).ToList();
        var fields = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in flat)
            foreach (var key in f.Keys)
                if (known.Add(key)) fields.Add(key);
        return fields.Select(field => new SettingsRow(field, flat.Select(f => f.GetValueOrDefault(field, Missing)).ToList())).ToList();
    }

    /// <summary>One config as ordered "Section.Field" → text pairs (the JSON names of run.json, in PascalCase).</summary>
    public static IReadOnlyDictionary<string, string> Flatten(RunConfig config)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var json = JsonSerializer.SerializeToElement(config, RunFolder.Json);
        Walk(json, "", result);
        return result;
    }

    static void Walk(JsonElement element, string path, Dictionary<string, string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                    Walk(p.Value, path.Length == 0 ? Pascal(p.Name) : $"{path}.{Pascal(p.Name)}", into);
                break;
            case JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)):
                // A list of plain values (dense units) reads best as one value: "256, 64".
                into[path] = element.GetArrayLength() == 0 ? "none" : string.Join(", ", element.EnumerateArray().Select(Text));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, $"{path}[{i++}]", into);
                if (i == 0) into[path] = "none";
                break;
            default:
                into[path] = Text(element);
                break;
        }
    }

    static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null => Missing,
        JsonValueKind.Number => e.TryGetDouble(out var d) ? d.ToString("G6", CultureInfo.InvariantCulture) : e.GetRawText(),
        _ => e.GetRawText(),
    };

    static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
