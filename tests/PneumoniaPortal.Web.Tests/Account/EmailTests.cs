using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using netDumbster.smtp;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.People;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Account;

/// <summary>With a mail server configured (Email:*), invitations and reset links arrive by email and work from it.</summary>
public sealed class EmailTests : IDisposable
{
    readonly SimpleSmtpServer _smtp = SimpleSmtpServer.Start();

    sealed class MailingPortal(int port) : PortalHost(new Dictionary<string, string?>
    {
        ["Email:Host"] = "127.0.0.1", ["Email:Port"] = port.ToString(), ["Email:Security"] = "None",
        ["Email:From"] = "PneumoniaPortal <portal@school.example>", ["Email:PortalUrl"] = "https://portal.school.example/",
    });

    public void Dispose() => _smtp.Dispose();

    /// <summary>Waits for the server to hold <paramref name="count"/> emails and answers the one with this subject (the store keeps no order).</summary>
    async Task<(string To, string Body)> EmailAsync(int count, string subject)
    {
        for (var i = 0; i < 100 && _smtp.ReceivedEmailCount < count; i++) await Task.Delay(100);
        Assert.Equal(count, _smtp.ReceivedEmailCount);
        var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(_smtp.ReceivedEmail.Single(m => m.Subject == subject).Data)));
        return (message.To.Mailboxes.Single().Address, message.TextBody ?? "");
    }

    /// <summary>The link in an email, as a path on the test portal (the email names the portal's configured address).</summary>
    static string LinkIn(string body)
    {
        var url = Regex.Match(body, @"https://portal\.school\.example/(\S+)").Groups[1].Value;
        Assert.NotEmpty(url);
        return url;
    }

    [Fact]
    public async Task An_invitation_and_a_forgotten_password_arrive_by_email_with_links_to_the_configured_address_that_work()
    {
        using var portal = new MailingPortal(_smtp.Configuration.Port);
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        var email = $"mailed-{Guid.NewGuid():N}"[..15] + "@example.org";
        var invited = await admin.Http.PostAsJsonAsync("api/admin/people/invitations", new InviteRequest(email, Roles.Instructor, true), PortalApi.Json);
        Assert.True((await invited.Content.ReadFromJsonAsync<IssuedLink>(PortalApi.Json))!.Emailed);
        var (to, body) = await EmailAsync(1, "Your PneumoniaPortal invitation");
        Assert.Equal(email, to);
        using var teacher = portal.NewClient();
        var accepted = await teacher.SubmitFormAsync(LinkIn(body), "accept-invite", new()
        {
            ["Input.DisplayName"] = "Mailed Teacher", ["Input.Password"] = "Mailed-pass-6", ["Input.ConfirmPassword"] = "Mailed-pass-6",
        });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        // Forgot the password: the page says the same for every address, and only an account's address gets a link.
        // Asking signs nobody out: the instructor stays signed in.
        using var anonymous = portal.NewClient();
        var unknown = await anonymous.SubmitFormAsync("Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = "nobody-here@example.org" });
        var known = await anonymous.SubmitFormAsync("Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = email });
        Assert.Contains("reset-sent", await unknown.Content.ReadAsStringAsync());
        Assert.Contains("reset-sent", await known.Content.ReadAsStringAsync());
        var (resetTo, resetBody) = await EmailAsync(2, "Choose a new PneumoniaPortal password");
        Assert.Equal(email, resetTo);
        await Task.Delay(500);
        Assert.Equal(2, _smtp.ReceivedEmailCount);
        Assert.Equal(HttpStatusCode.OK, (await teacher.Http.GetAsync("api/runs")).StatusCode);
        // However often a stranger asks, one account gets a few emails an hour (RateLimits:ResetEmailsPerAccount, 3).
        for (var i = 0; i < 4; i++)
            Assert.Contains("reset-sent", await (await anonymous.SubmitFormAsync("Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = email })).Content.ReadAsStringAsync());
        await Task.Delay(1500);
        Assert.Equal(4, _smtp.ReceivedEmailCount);
        var reset = await anonymous.SubmitFormAsync(LinkIn(resetBody), "reset-password", new()
        {
            ["Input.Password"] = "Reset-by-mail-7", ["Input.ConfirmPassword"] = "Reset-by-mail-7",
        });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.NewClient().PostLoginAsync(email, "Reset-by-mail-7")).StatusCode);
    }
}
