namespace PneumoniaPortal.Web.Account;

/// <summary>
/// Configuration section "Email": the mail server that sends password-reset links and invitations. Optional: without
/// a host, the portal sends nothing and admins hand the links out themselves.
/// </summary>
public sealed class EmailOptions : IValidatedOptions
{
    public const string Section = "Email";

    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    /// <summary>The sender, as "PneumoniaPortal &lt;portal@school.example&gt;" or a bare address.</summary>
    public string From { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    /// <summary>"StartTls" (default), "SslOnConnect" or "None" (a relay on the same machine).</summary>
    public string Security { get; set; } = "StartTls";
    /// <summary>
    /// The portal's address as people reach it (https://portal.school.example/): the links in emails point there, never at
    /// whatever host a request named.
    /// </summary>
    public string PortalUrl { get; set; } = "";

    public bool IsConfigured => Host.Length > 0;

    public static readonly IReadOnlyList<string> SecurityChoices = ["StartTls", "SslOnConnect", "None"];

    public IEnumerable<string> Validate()
    {
        if (!IsConfigured) yield break;
        if (From.Length == 0 || !MimeKit.MailboxAddress.TryParse(From, out _))
            yield return $"Email:From must be the sender's address when Email:Host is set; it is \"{From}\".";
        if (!Uri.TryCreate(PortalUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            yield return $"Email:PortalUrl must be the portal's address as people reach it (https://portal.school.example/) when Email:Host is set; it is \"{PortalUrl}\".";
        if (Port is < 1 or > 65535) yield return $"Email:Port must be 1 to 65535; it is {Port}.";
        if (!SecurityChoices.Contains(Security, StringComparer.OrdinalIgnoreCase))
            yield return $"Email:Security must be one of {string.Join(", ", SecurityChoices)}; it is \"{Security}\".";
    }
}
