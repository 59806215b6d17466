using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Components.Account;

/// <summary>The signed-in account, for the static "My account" pages.</summary>
internal sealed class IdentityUserAccessor(
    UserManager<PortalUser> userManager, SignInManager<PortalUser> signInManager, IdentityRedirectManager redirectManager)
{
    /// <summary>
    /// The signed-in account, or null when it no longer exists or was deleted: then the stale cookie is signed out and
    /// the page redirected to sign-in. Navigation does not throw on these pages, so the caller returns on null.
    /// </summary>
    public async Task<PortalUser?> GetRequiredUserAsync(HttpContext context)
    {
        var user = await userManager.GetUserAsync(context.User);
        if (user is { DeletedAt: null }) return user;
        await signInManager.SignOutAsync();
        redirectManager.RedirectToWithStatus("Account/Login",
            "Error: Your account could not be found, so you were signed out. Sign in again, or ask your instructor.", context);
        return null;
    }

    /// <summary>
    /// The account as the database holds it now. A service may change it through its own DbContext, leaving the
    /// request's copy stale (old email, old security stamp); a sign-in cookie renewed from that copy would carry them.
    /// </summary>
    public async Task<PortalUser> ReloadAsync(PortalUser user) =>
        await userManager.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == user.Id) ?? user;
}
