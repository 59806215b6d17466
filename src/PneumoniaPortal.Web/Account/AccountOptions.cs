namespace PneumoniaPortal.Web.Account;

/// <summary>Configuration section "Identity": two-factor sign-in for admins, and how long the one-time links work.</summary>
public sealed class AccountOptions : IValidatedOptions
{
    public const string Section = "Identity";

    /// <summary>When true, an admin who has not set up an authenticator app is sent to do so before anything else.</summary>
    public bool RequireTwoFactorForAdmins { get; set; }
    /// <summary>How long a password-reset link works (default one day); it works once.</summary>
    public TimeSpan ResetLinkLifetime { get; set; } = TimeSpan.FromDays(1);
    /// <summary>How long an instructor's invitation link works (default seven days); it works once.</summary>
    public TimeSpan InviteLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    public IEnumerable<string> Validate()
    {
        if (ResetLinkLifetime <= TimeSpan.Zero || InviteLinkLifetime <= TimeSpan.Zero)
            yield return $"Identity:ResetLinkLifetime and Identity:InviteLinkLifetime must be above zero (as 1.00:00:00 for a day); they are {ResetLinkLifetime} and {InviteLinkLifetime}.";
    }
}
