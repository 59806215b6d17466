namespace PneumoniaPortal.Core.Dataset;

/// <summary>
/// The Kaggle / Mendeley folder convention: <c>{train|test|val}/{NORMAL|PNEUMONIA}/file</c>, case-insensitive,
/// with the pneumonia subtype written in the file name (<c>person1_bacteria_1.jpeg</c>, <c>person1_virus_6.jpeg</c>).
/// Pure path logic, shared by the importer and anyone who names files for the portal.
/// </summary>
public static class KaggleLayout
{
    /// <summary>The extensions counted as images; other files inside a class folder are reported.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpeg", ".jpg", ".png"];

    public const string ExpectedLayout = "train/, test/ or val/ each holding NORMAL/ and PNEUMONIA/";

    public static bool TryParseSplit(string folderName, out Split split)
    {
        switch (folderName.ToLowerInvariant())
        {
            case "train": split = Split.Train; return true;
            case "test": split = Split.Test; return true;
            case "val": split = Split.Val; return true;
            default: split = default; return false;
        }
    }

    public static bool TryParseLabel(string folderName, out Label label)
    {
        switch (folderName.ToUpperInvariant())
        {
            case "NORMAL": label = Label.Normal; return true;
            case "PNEUMONIA": label = Label.Pneumonia; return true;
            default: label = default; return false;
        }
    }

    /// <summary>
    /// Splits a path relative to the layout root into split and label when it has exactly the shape
    /// <c>split/LABEL/file</c>; deeper or shallower paths are outside the layout.
    /// </summary>
    public static bool TryParseImagePath(string relativePath, out Split split, out Label label)
    {
        split = default;
        label = default;
        var parts = relativePath.Split('/');
        return parts.Length == 3 && parts[2].Length > 0
               && TryParseSplit(parts[0], out split) && TryParseLabel(parts[1], out label);
    }

    /// <summary><c>bacteria</c> or <c>virus</c> from the file name, <c>normal</c> for the NORMAL folder, else <c>unknown</c>.</summary>
    public static string SubtypeOf(string fileName, Label label)
    {
        var name = fileName.Contains('/') ? fileName[(fileName.LastIndexOf('/') + 1)..] : fileName;
        if (name.Contains("bacteria", StringComparison.OrdinalIgnoreCase)) return SubtypeNames.Bacteria;
        if (name.Contains("virus", StringComparison.OrdinalIgnoreCase)) return SubtypeNames.Virus;
        return label == Label.Normal ? SubtypeNames.Normal : SubtypeNames.Unknown;
    }

    /// <summary>
    /// The child an image belongs to, from the Kaggle file names: <c>person1261_virus_2147</c> -> <c>person1261</c>,
    /// <c>NORMAL2-IM-0256-0001</c> -> <c>NORMAL2-IM-0256</c>, <c>IM-0115-0001</c> and <c>IM-0115-0001-0002</c> -> <c>IM-0115</c>;
    /// null when the name has no such part.
    /// </summary>
    public static string? PatientOf(string relativePath)
    {
        var name = Path.GetFileNameWithoutExtension(relativePath);
        var person = System.Text.RegularExpressions.Regex.Match(name, @"^(person\d+)_", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (person.Success) return person.Groups[1].Value.ToLowerInvariant();
        // IM-0011-0001 and IM-0011-0001-0002 are the same child's images.
        var normal = System.Text.RegularExpressions.Regex.Match(name, @"^((?:NORMAL2-)?IM-\d+)(?:-\d+)+$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return normal.Success ? normal.Groups[1].Value.ToUpperInvariant() : null;
    }

    public static bool HasImageExtension(string fileName) =>
        ImageExtensions.Contains(Path.GetExtension(fileName).ToLowerInvariant());

    /// <summary>Operating-system litter that zips and copies pick up; skipped without a word.</summary>
    public static bool IsJunk(string relativePath)
    {
        foreach (var part in relativePath.Split('/'))
        {
            if (part.Length == 0) continue;
            if (part == "__MACOSX" || part.StartsWith('.')) return true;
            if (part.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase)
                || part.Equals("desktop.ini", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    public static string FolderName(Label label) => label == Label.Normal ? "NORMAL" : "PNEUMONIA";

    public static string FolderName(Split split) => split switch
    {
        Split.Train => "train",
        Split.Val => "val",
        _ => "test",
    };
}

/// <summary>The subtype names used in <see cref="ImageRecord.Subtype"/> and the manifest.</summary>
public static class SubtypeNames
{
    public const string Normal = "normal";
    public const string Bacteria = "bacteria";
    public const string Virus = "virus";
    public const string Unknown = "unknown";

    public static IReadOnlyList<string> All { get; } = [Normal, Bacteria, Virus, Unknown];
}
