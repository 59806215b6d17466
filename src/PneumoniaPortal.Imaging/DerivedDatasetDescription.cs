using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Imaging;

/// <summary>What <c>dataset.json</c> of a derived data set says: its source, the settings, and the counts before and after.</summary>
public sealed record DerivedDatasetDescription(string Format, string Name, string Source, string SourceFingerprint, ResplitSettings Settings,
    IReadOnlyList<ResplitCount> Counts, int Groups, int Moved, DateTimeOffset CreatedAt);
