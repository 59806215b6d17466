namespace PneumoniaPortal.Web.Data;

public enum ProposalStatus { Open, Accepted, Rejected }
