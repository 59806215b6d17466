using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Data;

public enum ProposalStatus { Open, Accepted, Rejected }

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

/// <summary>
/// One accepted change: from <see cref="Version"/> on, the image has this label. Version numbers count up per data
/// set (version 0 is the data set as imported), so every earlier version can be rebuilt.
/// </summary>
public sealed class LabelChangeRecord
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public int Version { get; set; }
    public string RelativePath { get; set; } = "";
    public Label FromLabel { get; set; }
    public string FromSubtype { get; set; } = "";
    public Label ToLabel { get; set; }
    public string ToSubtype { get; set; } = "";
    public int ProposalId { get; set; }
    public string DecidedById { get; set; } = "";
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>Blind labelling practice: images an instructor picked for the class to label without seeing the label or each other's answers.</summary>
public sealed class BlindLabellingSet
{
    public int Id { get; set; }
    public int CourseId { get; set; }
    public Course? Course { get; set; }
    public int DatasetId { get; set; }
    public string Title { get; set; } = "";
    public string CreatedById { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>Closed sets take no more answers; their results are shown to the students.</summary>
    public bool Closed { get; set; }
    public List<BlindLabellingItem> Items { get; set; } = [];
}

public sealed class BlindLabellingItem
{
    public int Id { get; set; }
    public int SetId { get; set; }
    public BlindLabellingSet? Set { get; set; }
    public string RelativePath { get; set; } = "";
    /// <summary>The label the instructor vouches for (a gold-standard image), or null for a doubtful one.</summary>
    public Label? GoldLabel { get; set; }
    public List<BlindLabel> Answers { get; set; } = [];
}

public sealed class BlindLabel
{
    public int ItemId { get; set; }
    public string UserId { get; set; } = "";
    public PortalUser? User { get; set; }
    public Label Label { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
}
