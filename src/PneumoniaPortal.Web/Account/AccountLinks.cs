using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Account;

/// <summary>
/// One-time links: a password reset an admin hands out (or the portal mails), and an instructor's invitation, which
/// is the reset link of an account made without a password. Both are Identity's data-protection tokens: they carry
/// their time of issue (each kind has its lifetime) and the account's security stamp, which changes when the password
/// is set, so a link works once, and every other link of the account dies with it. Making a link changes nothing (a
/// stranger asking for one by email cannot sign anyone out). Nothing about a link is stored.
/// </summary>
public sealed class AccountLinks(
    UserManager<PortalUser> users,
    PortalEmail email,
    IOptions<EmailOptions> emailOptions,
    IOptions<AccountOptions> options,
    IServiceScopeFactory scopes,
    RateLimits limits,
    ILogger<AccountLinks> log)
{
    const string InvitePurpose = "Invite";
    static readonly string ResetPurpose = UserManager<PortalUser>.ResetPasswordTokenPurpose;

    public bool CanEmail => email.CanSend;

    /// <summary>A new reset link for the account, relative to the portal.</summary>
    public async Task<string> ResetLinkAsync(PortalUser user)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return $"Account/ResetPassword?user={Uri.EscapeDataString(user.Id)}&code={Encode(token)}";
    }

    /// <summary>
    /// An invitation for <paramref name="address"/> in <paramref name="role"/>: the account is made now without a
    /// password (nobody can sign in to it) and the link lets its owner choose one. Asked again for an invitation not yet
    /// accepted, it makes a new link and retires the old one.
    /// </summary>
    public async Task<(PortalUser User, string Link)> InviteAsync(string address, string role)
    {
        address = (address ?? "").Trim();
        var user = await users.FindByEmailAsync(address);
        if (user is { DeletedAt: null } && await users.HasPasswordAsync(user))
            throw Refusal.Conflict($"{address} already has an account. If it is the person you mean (ask them first), make them an instructor on the People page.");
        if (user is null)
        {
            user = new PortalUser { UserName = address, Email = address, DisplayName = address.Split('@')[0], EmailConfirmed = true };
            if (await users.ProblemsAsync(user, "Aa1-unused-check") is { Count: > 0 } problems) throw new Refusal(RefusalKind.Invalid, problems);
            var created = await users.CreateAsync(user);
            created.OrRefuse();
        }
        foreach (var other in Roles.All.Where(r => r != role)) if (await users.IsInRoleAsync(user, other)) await users.RemoveFromRoleAsync(user, other);
        if (!await users.IsInRoleAsync(user, role)) await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        var token = await users.GenerateUserTokenAsync(user, InviteTokenProvider.ProviderName, InvitePurpose);
        return (user, $"Account/Invite?user={Uri.EscapeDataString(user.Id)}&code={Encode(token)}");
    }

    /// <summary>The account the link opens, or null when the link is unknown, used, expired or its account gone.</summary>
    public async Task<LinkUser?> FindAsync(string? userId, string? code, LinkPurpose purpose)
    {
        if (await VerifiedAsync(userId, code, purpose) is not { } found) return null;
        var role = (await users.GetRolesAsync(found.User)).OrderByDescending(r => Array.IndexOf([.. Roles.All], r)).FirstOrDefault() ?? Roles.Student;
        return new LinkUser(found.User.Id, found.User.Email ?? "", found.User.DisplayName, role);
    }

    /// <summary>Sets the password the link's owner chose (and, for an invitation, their name); the link is used up.</summary>
    public async Task UseAsync(string? userId, string? code, LinkPurpose purpose, string newPassword, string? displayName)
    {
        var found = await VerifiedAsync(userId, code, purpose) ?? throw Expired();
        var user = found.User;
        var name = (displayName ?? "").Trim();
        if (purpose == LinkPurpose.Invite && name.Length is 0 or > 80) throw Refusal.Invalid("Enter your name (at most 80 characters).");
        if (await users.ProblemsAsync(null, newPassword) is { Count: > 0 } problems) throw new Refusal(RefusalKind.Invalid, problems);
        IdentityResult result;
        if (purpose == LinkPurpose.Reset)
            result = await users.ResetPasswordAsync(user, found.Token, newPassword);
        else
        {
            user.DisplayName = name;
            result = await users.AddPasswordAsync(user, newPassword); // a new security stamp: the link is spent
        }
        if (result.Errors.Any(e => e.Code == new IdentityErrorDescriber().InvalidToken().Code)) throw Expired();
        result.OrRefuse();
        log.LogInformation("Account {UserId} set its password through a {Purpose} link", user.Id, purpose);
    }

    /// <summary>
    /// <see cref="SendResetByEmailAsync"/> in the background, in a scope of its own: the page answers at once and the
    /// same way for every address, so neither its words nor its time tell whether an account uses it.
    /// </summary>
    public void QueueResetEmail(string address) => _ = Task.Run(async () =>
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AccountLinks>().SendResetByEmailAsync(address);
        }
        catch (Exception e)
        {
            log.LogWarning("A reset link was not mailed: {Error}", e.Message);
        }
    });

    /// <summary>
    /// Mails a reset link when an account uses this address; says nothing either way (the page answers the same), so
    /// the form cannot be used to learn who has an account.
    /// </summary>
    public async Task SendResetByEmailAsync(string address, CancellationToken ct = default)
    {
        var user = await users.FindByEmailAsync((address ?? "").Trim());
        if (user is not { DeletedAt: null } || !await users.HasPasswordAsync(user)) return;
        // A few emails an hour to one account at most, whoever asks: nobody fills a person's inbox from this form.
        if (limits.TryTake(LimitedAction.ResetEmail, user.Id, null) is not null)
        {
            log.LogWarning("Reset link for {UserId} not mailed: asked for too often", user.Id);
            return;
        }
        var link = new Uri(new Uri(emailOptions.Value.PortalUrl), await ResetLinkAsync(user));
        try
        {
            await email.SendAsync(user.Email!, "Choose a new PneumoniaPortal password",
                $"Someone (we hope you) asked for a new password for {user.Email} on PneumoniaPortal.\n\n" +
                $"Choose one here: {link}\n\nThe link works once, for {Describe(options.Value.ResetLinkLifetime)}. If you did not ask, ignore this message.", ct);
        }
        catch (Refusal e)
        {
            // The person asking learns nothing from a mail failure; the admin finds it in the log.
            log.LogWarning("Reset link for {UserId} not mailed: {Error}", user.Id, e.Message);
        }
    }

    /// <summary>"1 day", "7 days", "12 hours", "30 minutes": how long a link works, for its page and its email.</summary>
    public static string Describe(TimeSpan lifetime) => lifetime switch
    {
        { TotalDays: >= 1 } when lifetime.TotalDays == Math.Floor(lifetime.TotalDays) => Plural((int)lifetime.TotalDays, "day"),
        { TotalHours: >= 1 } => Plural((int)Math.Round(lifetime.TotalHours), "hour"),
        _ => Plural(Math.Max(1, (int)Math.Round(lifetime.TotalMinutes)), "minute"),
    };

    static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";

    async Task<(PortalUser User, string Token)?> VerifiedAsync(string? userId, string? code, LinkPurpose purpose)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(code)) return null;
        string token;
        try { token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
        var user = await users.Users.FirstOrDefaultAsync(u => u.Id == userId && u.DeletedAt == null);
        if (user is null) return null;
        // An invitation is for an account nobody has chosen a password for yet.
        if (purpose == LinkPurpose.Invite && await users.HasPasswordAsync(user)) return null;
        var valid = purpose == LinkPurpose.Reset
            ? await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, ResetPurpose, token)
            : await users.VerifyUserTokenAsync(user, InviteTokenProvider.ProviderName, InvitePurpose, token);
        return valid ? (user, token) : null;
    }

    static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    static Refusal Expired() => Refusal.Invalid("This link has expired or was already used. Ask your instructor or an admin for a new one.");
}
