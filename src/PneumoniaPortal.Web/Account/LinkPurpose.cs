namespace PneumoniaPortal.Web.Account;

/// <summary>What a one-time link does: choose a new password, or accept an invitation and choose the first one.</summary>
public enum LinkPurpose { Reset, Invite }
