using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>
/// One entry of an image's label history: which label, where it came from, and when. Relabelling adds proposals
/// (the proposed label, who, why, votes) and decisions (the resulting label, who, comment, label version).
/// </summary>
public sealed record LabelHistoryEntry(Label Label, string Source, DateTimeOffset? At)
{
    public LabelHistoryKind Kind { get; init; } = LabelHistoryKind.Original;
    public string Subtype { get; init; } = "";
    public string? Who { get; init; }
    /// <summary>The proposer's reason or the instructor's comment.</summary>
    public string? Text { get; init; }
    public int? ProposalId { get; init; }
    /// <summary>The label version an acceptance created (0 for the original label).</summary>
    public int? Version { get; init; }
    public int Agree { get; init; }
    public int Disagree { get; init; }
}
