using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Proposals;

/// <summary>A stored proposal with the names that go with it, as the service reads it for pages, history and exports.</summary>
internal sealed record ReviewRow(RelabelProposal Proposal, string Proposer, string? DecidedBy, IReadOnlyList<(string UserId, VoteView Vote)> Votes)
{
    public int Agree => Votes.Count(v => v.Vote.Agree);
    public int Disagree => Votes.Count(v => !v.Vote.Agree);
}
