namespace PneumoniaPortal.Web.Data;

/// <summary>A classmate's vote on a proposal: agree or disagree, with an optional comment. One per person.</summary>
public sealed class ProposalVote
{
    public int ProposalId { get; set; }
    public string UserId { get; set; } = "";
    public PortalUser? User { get; set; }
    public bool Agree { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
}
