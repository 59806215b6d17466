namespace PneumoniaPortal.Web.People;

/// <summary>One account as the People page lists it. Invited: made by an invitation whose link was not used yet.</summary>
public sealed record PersonSummary(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Classes,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, DateTimeOffset? LockedUntil, bool Invited, bool TwoFactor);
