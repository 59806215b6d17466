namespace PneumoniaPortal.Web.Proposals;

/// <summary>What an instructor does with a proposal.</summary>
public enum ReviewDecision { Accept, Reject, Fix }
