using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Proposals;

/// <summary>Which proposals the proposals page lists.</summary>
public enum ProposalFilter { Open, Decided, Mine, All }

/// <summary>What an instructor does with a proposal.</summary>
public enum ReviewDecision { Accept, Reject, Fix }

/// <summary>A vote: agree or disagree with the proposed label, with an optional comment.</summary>
public sealed record CastVote(bool Agree, string? Comment = null);

/// <summary>
/// An instructor's decision. <see cref="Fix"/> accepts a change to <see cref="Label"/>/<see cref="Subtype"/> instead
/// of the proposed one; the comment is required for every decision (the class reads it in the image's history).
/// </summary>
public sealed record DecideProposal(ReviewDecision Decision, string Comment, Label? Label = null, string? Subtype = null);

/// <summary>One classmate's vote as the proposals page and the history show it.</summary>
public sealed record VoteView(string Voter, bool Agree, string? Comment, DateTimeOffset At);

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

/// <summary>A stored proposal with the names that go with it, as the service reads it for pages, history and exports.</summary>
internal sealed record ReviewRow(RelabelProposal Proposal, string Proposer, string? DecidedBy, IReadOnlyList<(string UserId, VoteView Vote)> Votes)
{
    public int Agree => Votes.Count(v => v.Vote.Agree);
    public int Disagree => Votes.Count(v => !v.Vote.Agree);
}
