namespace PneumoniaPortal.Web.Proposals;

/// <summary>Which proposals the proposals page lists.</summary>
public enum ProposalFilter { Open, Decided, Mine, All }
