using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Core.Relabelling;

/// <summary>
/// One accepted relabelling: the image's label (and subtype) from <see cref="Version"/> on. Version 0 is the data set
/// as imported; every accepted decision makes the next version, so earlier versions can always be rebuilt.
/// </summary>
public sealed record LabelChange(int Version, string RelativePath, Label Label, string Subtype);

/// <summary>Builds the labels of any label version from the original catalog and the accepted changes.</summary>
public static class LabelVersions
{
    /// <summary>The images with the labels of <paramref name="version"/> (changes with a higher version are ignored).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative version.</exception>
    public static IReadOnlyList<ImageRecord> Apply(IReadOnlyList<ImageRecord> original, IEnumerable<LabelChange> changes, int version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        var latest = new Dictionary<string, LabelChange>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => c.Version <= version).OrderBy(c => c.Version))
            latest[change.RelativePath] = change;
        if (latest.Count == 0) return original;
        return original.Select(i => latest.TryGetValue(i.RelativePath, out var c) ? i with { Label = c.Label, Subtype = c.Subtype } : i).ToList();
    }

    /// <summary>Every label an image has had, oldest first: the original, then each accepted change.</summary>
    public static IReadOnlyList<(int Version, Label Label, string Subtype)> HistoryOf(ImageRecord original, IEnumerable<LabelChange> changes) =>
        [(0, original.Label, original.Subtype),
         .. changes.Where(c => c.RelativePath == original.RelativePath).OrderBy(c => c.Version).Select(c => (c.Version, c.Label, c.Subtype))];

    /// <summary>The subtype that goes with a label when the proposer named none (PNEUMONIA keeps a bacteria/virus subtype it had).</summary>
    public static string DefaultSubtype(Label label, string? current) => label == Label.Normal
        ? "normal"
        : current is "bacteria" or "virus" ? current : "bacteria";
}
