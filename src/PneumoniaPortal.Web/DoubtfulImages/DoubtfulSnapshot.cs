using PneumoniaPortal.Core.Relabelling;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>A ranking and what the detail panel reads next to it.</summary>
public sealed record DoubtfulSnapshot(
    DoubtfulQueue Queue,
    IReadOnlyDictionary<int, DoubtfulEntry> ByIndex,
    IReadOnlyDictionary<string, IReadOnlyList<RunOpinion>> Opinions,
    IReadOnlySet<string> Hidden,
    NearDuplicates NearDuplicates);
