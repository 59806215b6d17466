using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Account;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.People;

/// <summary>
/// The admins' view of every account: roles, locks, password-reset links and instructor invitations. The portal keeps
/// one admin who can sign in at all times (<see cref="AdminCount"/>).
/// </summary>
public sealed class PeopleService(
    IDbContextFactory<PortalDbContext> dbFactory,
    UserManager<PortalUser> users,
    CurrentUser currentUser,
    AccountLinks links,
    PortalEmail email,
    IOptions<AccountOptions> accountOptions,
    IOptions<EmailOptions> emailOptions,
    ILogger<PeopleService> log)
{
    public bool CanEmail => email.CanSend;

    public async Task<IReadOnlyList<PersonSummary>> ListAsync(string? search = null, CancellationToken ct = default)
    {
        await AdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Users.Where(u => u.DeletedAt == null);
        var term = (search ?? "").Trim();
        if (term.Length > 0)
        {
            var like = $"%{term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(u => EF.Functions.Like(u.Email!, like, "\\") || EF.Functions.Like(u.DisplayName, like, "\\"));
        }
        var people = await query.OrderBy(u => u.DisplayName).ThenBy(u => u.Email).Take(500)
            .Select(u => new
            {
                u.Id, u.Email, u.DisplayName, u.CreatedAt, u.LastSignInAt, u.LockoutEnd, u.TwoFactorEnabled,
                Invited = u.PasswordHash == null,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                Classes = db.CourseMembers.Where(m => m.UserId == u.Id).Select(m => m.Course!.Name).ToList(),
            }).ToListAsync(ct);
        var now = DateTimeOffset.UtcNow;
        return people.Select(p => new PersonSummary(p.Id, p.Email ?? "", p.DisplayName,
                p.Roles.OrderBy(r => IndexOf(r)).ToList(), p.Classes.Order().ToList(), p.CreatedAt, p.LastSignInAt,
                p.LockoutEnd > now ? p.LockoutEnd : null, p.Invited, p.TwoFactorEnabled))
            .ToList();
    }

    /// <summary>Grants or takes away Instructor or Admin. Taking away signs the person out everywhere within a minute.</summary>
    public async Task SetRoleAsync(string userId, string role, bool granted, CancellationToken ct = default)
    {
        var admin = await AdminAsync();
        if (role is not (Roles.Instructor or Roles.Admin)) throw Refusal.Invalid($"Roles an admin grants are {Roles.Instructor} and {Roles.Admin}.");
        var user = await PersonAsync(userId);
        if (await users.IsInRoleAsync(user, role) == granted) return;
        if (granted)
        {
            (await users.AddToRoleAsync(user, role)).OrRefuse();
        }
        else
        {
            await users.KeepOneAdminAsync(
                async () => (await users.RemoveFromRoleAsync(user, role)).OrRefuse(),
                async () => (await users.AddToRoleAsync(user, role)).OrRefuse(),
                "That is the portal's last admin. Make someone else an admin first.");
            // No longer staff: the classes they taught keep them as a student (they see what students see, no more).
            if (!await users.IsInRoleAsync(user, Roles.Instructor) && !await users.IsInRoleAsync(user, Roles.Admin))
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await db.CourseMembers.Where(m => m.UserId == user.Id && m.Role == CourseRole.Instructor)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, CourseRole.Student), ct);
            }
            // Its pages and cookies still carry the role: they end at their next check.
            await users.UpdateSecurityStampAsync(user);
        }
        log.LogInformation("{Admin} {Change} {Role} for {User}", admin.Id, granted ? "granted" : "took away", role, user.Id);
    }

    /// <summary>Locks an account (it cannot sign in, and its sign-ins end within a minute) or unlocks it.</summary>
    public async Task SetLockedAsync(string userId, bool locked, CancellationToken ct = default)
    {
        var admin = await AdminAsync();
        var user = await PersonAsync(userId);
        if (locked)
        {
            if (user.Id == admin.Id) throw Refusal.Invalid("You cannot lock your own account.");
            var before = user.LockoutEnd;
            await users.KeepOneAdminAsync(
                async () =>
                {
                    (await users.SetLockoutEnabledAsync(user, true)).OrRefuse();
                    (await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue)).OrRefuse();
                },
                async () => (await users.SetLockoutEndDateAsync(user, before)).OrRefuse(),
                "That is the portal's last admin who can sign in. Make someone else an admin first.");
            await users.UpdateSecurityStampAsync(user);
        }
        else
        {
            (await users.SetLockoutEndDateAsync(user, null)).OrRefuse();
            (await users.ResetAccessFailedCountAsync(user)).OrRefuse();
        }
        log.LogInformation("{Admin} {Change} {User}", admin.Id, locked ? "locked" : "unlocked", user.Id);
    }

    /// <summary>A one-time password-reset link for the account (once one is used, all die), mailed when asked and possible.</summary>
    public async Task<IssuedLink> ResetLinkAsync(string userId, bool sendEmail, CancellationToken ct = default)
    {
        var admin = await AdminAsync();
        var user = await PersonAsync(userId);
        if (!await users.HasPasswordAsync(user)) throw Refusal.Invalid("This account was invited and has no password yet; invite it again for a new link.");
        var link = await links.ResetLinkAsync(user);
        var validFor = AccountLinks.Describe(accountOptions.Value.ResetLinkLifetime);
        var emailed = sendEmail && await MailAsync(user.Email!, "Choose a new PneumoniaPortal password",
            $"An admin of PneumoniaPortal made you a link to choose a new password for {user.Email}:\n\n{{link}}\n\nIt works once, for {validFor}.", link, ct);
        log.LogInformation("{Admin} made a password-reset link for {User}", admin.Id, user.Id);
        return new IssuedLink(link, emailed, validFor);
    }

    /// <summary>Invites someone as an instructor (or admin): their account is made now and the link lets them choose a password.</summary>
    public async Task<IssuedLink> InviteAsync(string address, string role, bool sendEmail, CancellationToken ct = default)
    {
        var admin = await AdminAsync();
        if (role is not (Roles.Instructor or Roles.Admin)) throw Refusal.Invalid($"Invitations are for an {Roles.Instructor} or an {Roles.Admin}.");
        var (user, link) = await links.InviteAsync(address, role);
        var validFor = AccountLinks.Describe(accountOptions.Value.InviteLinkLifetime);
        var emailed = sendEmail && await MailAsync(user.Email!, "Your PneumoniaPortal invitation",
            $"You are invited to PneumoniaPortal as {(role == Roles.Admin ? "an admin" : "an instructor")}.\n\nChoose your name and a password here: {{link}}\n\nThe link works once, for {validFor}.", link, ct);
        log.LogInformation("{Admin} invited {User} as {Role}", admin.Id, user.Id, role);
        return new IssuedLink(link, emailed, validFor);
    }

    async Task<bool> MailAsync(string to, string subject, string text, string link, CancellationToken ct)
    {
        if (!email.CanSend) throw Refusal.Invalid("This portal has no mail server (Email:Host): copy the link and give it to them.");
        var absolute = new Uri(new Uri(emailOptions.Value.PortalUrl), link).ToString();
        await email.SendAsync(to, subject, text.Replace("{link}", absolute, StringComparison.Ordinal), ct);
        return true;
    }

    async Task<Viewer> AdminAsync()
    {
        var viewer = await currentUser.GetAsync();
        return viewer.IsAdmin ? viewer : throw Refusal.Forbidden("Only admins manage people.");
    }

    async Task<PortalUser> PersonAsync(string userId) =>
        await users.FindByIdAsync(userId ?? "") is { DeletedAt: null } user ? user : throw Refusal.NotFound("There is no such account.");

    static int IndexOf(string role) => Roles.All.ToList().IndexOf(role);
}
