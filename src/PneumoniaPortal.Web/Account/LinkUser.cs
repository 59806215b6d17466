namespace PneumoniaPortal.Web.Account;

/// <summary>The account a one-time link opens, as its page shows it.</summary>
public sealed record LinkUser(string UserId, string Email, string DisplayName, string Role);
