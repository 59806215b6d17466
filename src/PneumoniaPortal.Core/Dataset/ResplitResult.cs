namespace PneumoniaPortal.Core.Dataset;

/// <summary>
/// A data set split again: every image with its new split, the counts per split and label before and after, how many
/// groups (a child's images, or identical files) were kept whole, and how many images changed split.
/// </summary>
public sealed record ResplitResult(IReadOnlyList<ImageRecord> Images, IReadOnlyList<ResplitCount> Counts, int Groups, int Moved)
{
    /// <summary>The counts as a small table, for the CLI and the statistics page.</summary>
    public string ToText()
    {
        var lines = new List<string> { $"{"split",-10} {"label",-10} {"before",7} {"after",7}" };
        lines.AddRange(Counts.Select(c => $"{c.Split.ToString().ToLowerInvariant(),-10} {c.Label.ToString().ToUpperInvariant(),-10} {c.Before,7} {c.After,7}"));
        lines.Add($"{Groups} groups kept whole (a child's images, identical files); {Moved} of {Images.Count} images changed split.");
        return string.Join(Environment.NewLine, lines);
    }
}
