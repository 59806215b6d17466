using Microsoft.AspNetCore.Identity;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Account;

/// <summary>The portal always keeps one admin: the rule that demoting, locking and deleting accounts share.</summary>
public static class AdminCount
{
    /// <summary>Admins who can sign in now: not deleted, not locked, and not an invitation still waiting for its password.</summary>
    public static async Task<int> ActiveAdminsAsync(this UserManager<PortalUser> users)
    {
        var now = DateTimeOffset.UtcNow;
        return (await users.GetUsersInRoleAsync(Roles.Admin))
            .Count(u => u.DeletedAt is null && u.PasswordHash is not null && (u.LockoutEnd is null || u.LockoutEnd <= now));
    }

    /// <summary>
    /// Makes a change that may take an admin away, then checks: when no admin is left, <paramref name="undo"/> puts it
    /// back and the change is refused. Checking after the change (not before) also holds when two admins demote each
    /// other at the same moment: both see none left and both are undone.
    /// </summary>
    public static async Task KeepOneAdminAsync(this UserManager<PortalUser> users, Func<Task> change, Func<Task> undo, string refusal)
    {
        await change();
        if (await users.ActiveAdminsAsync() > 0) return;
        await undo();
        throw Refusal.Conflict(refusal);
    }
}
