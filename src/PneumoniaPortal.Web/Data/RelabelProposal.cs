using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Data;

/// <summary>
/// A student's proposal to change one image's label, with the reason; classmates vote, an instructor decides.
/// Decided proposals stay forever: they are the image's history.
/// </summary>
public sealed class RelabelProposal
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public string RelativePath { get; set; } = "";
    /// <summary>The label when the proposal was made (the label version it argues against).</summary>
    public Label CurrentLabel { get; set; }
    public string CurrentSubtype { get; set; } = "";
    public Label ProposedLabel { get; set; }
    public string ProposedSubtype { get; set; } = "";
    public string Reason { get; set; } = "";
    public string ProposerId { get; set; } = "";
    public PortalUser? Proposer { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public ProposalStatus Status { get; set; } = ProposalStatus.Open;
    public string? DecidedById { get; set; }
    public PortalUser? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionComment { get; set; }
    /// <summary>What was accepted: the proposed label, or the instructor's fix.</summary>
    public Label? AcceptedLabel { get; set; }
    public string? AcceptedSubtype { get; set; }
    /// <summary>The label version the acceptance created.</summary>
    public int? LabelVersion { get; set; }
    public List<ProposalVote> Votes { get; set; } = [];
}
