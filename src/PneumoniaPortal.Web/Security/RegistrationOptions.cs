namespace PneumoniaPortal.Web.Security;

/// <summary>Configuration section "Registration": who may create a student account on the sign-in page.</summary>
public sealed class RegistrationOptions
{
    public const string Section = "Registration";

    /// <summary>
    /// True (default): a new student registers with the join code of a class, so only people an instructor gave a
    /// code can train on the server. False opens registration to anyone who reaches the portal.
    /// </summary>
    public bool RequireJoinCode { get; set; } = true;
}
