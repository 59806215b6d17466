using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Proposals;

/// <summary>A proposal as one viewer sees it on the proposals page, with what that viewer may do with it.</summary>
public sealed record ProposalView(
    int Id,
    string ImageId,
    string RelativePath,
    Split Split,
    Label FromLabel, string FromSubtype,
    Label ProposedLabel, string ProposedSubtype,
    Label LabelNow, string SubtypeNow,
    string Reason,
    string Proposer,
    bool IsMine,
    DateTimeOffset CreatedAt,
    ProposalStatus Status,
    IReadOnlyList<VoteView> Votes,
    bool? MyVote,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionComment,
    Label? AcceptedLabel, string? AcceptedSubtype,
    int? LabelVersion,
    bool CanVote,
    bool CanDecide)
{
    public int Agree => Votes.Count(v => v.Agree);
    public int Disagree => Votes.Count(v => !v.Agree);

    /// <summary>The image's label changed after the proposal was made: the proposal argues against an old label.</summary>
    public bool Stale => Status == ProposalStatus.Open && (LabelNow != FromLabel || SubtypeNow != FromSubtype);

    /// <summary>The accepted label differs from the proposed one: the instructor fixed it.</summary>
    public bool Fixed => Status == ProposalStatus.Accepted && (AcceptedLabel != ProposedLabel || AcceptedSubtype != ProposedSubtype);
}
