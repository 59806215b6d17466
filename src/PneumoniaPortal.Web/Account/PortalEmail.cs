using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace PneumoniaPortal.Web.Account;

/// <summary>Sends the portal's few emails (reset links, invitations) through the configured server, with MailKit.</summary>
public sealed class PortalEmail(IOptions<EmailOptions> options, ILogger<PortalEmail> log)
{
    public bool CanSend => options.Value.IsConfigured;

    /// <summary>Sends a plain-text message; throws a busy <see cref="Refusal"/> when the server cannot be reached.</summary>
    public async Task SendAsync(string to, string subject, string text, CancellationToken ct = default)
    {
        var o = options.Value;
        if (!o.IsConfigured) throw Refusal.Invalid("This portal has no mail server (Email:Host); hand the link out yourself.");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        try
        {
            using var smtp = new SmtpClient();
            var security = Enum.Parse<SecureSocketOptions>(o.Security, ignoreCase: true);
            await smtp.ConnectAsync(o.Host, o.Port, security, ct);
            if (o.UserName.Length > 0) await smtp.AuthenticateAsync(o.UserName, o.Password, ct);
            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Email to {To} was not sent: {Error}", to, e.Message);
            throw Refusal.Busy($"The mail server ({o.Host}) did not take the message: {e.Message}");
        }
    }
}
