using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Account;

/// <summary>
/// Identity:RequireTwoFactorForAdmins: an admin whose account has no authenticator app yet is sent to set one up, and
/// every API answers them 403 until then. The account pages (and the files they need) stay open.
/// </summary>
public static class TwoFactorGate
{
    public const string SetUpPath = "/Account/Manage/EnableAuthenticator";

    public static void UseTwoFactorForAdmins(this WebApplication app) => app.Use(async (http, next) =>
    {
        if (!Applies(http) || !await MissingAsync(http))
        {
            await next(http);
            return;
        }
        const string why = "Admins of this portal must use two-factor sign-in: set up an authenticator app on your account page first.";
        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hubs"))
            await Refusal.WriteAsync(http, StatusCodes.Status403Forbidden, why);
        else
            http.Response.Redirect($"{http.Request.PathBase}{SetUpPath}");
    });

    static bool Applies(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated != true || !http.User.IsInRole(Roles.Admin)) return false;
        if (!http.RequestServices.GetRequiredService<IOptions<AccountOptions>>().Value.RequireTwoFactorForAdmins) return false;
        var path = http.Request.Path;
        // Every API and hub, whatever its address ends with (a file name is no way around it).
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs")) return true;
        // The pages that set it up, sign out, and the files they load.
        return !(path.StartsWithSegments("/Account") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
                 || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/health") || Path.HasExtension(path.Value));
    }

    static async Task<bool> MissingAsync(HttpContext http)
    {
        var users = http.RequestServices.GetRequiredService<UserManager<PortalUser>>();
        return await users.GetUserAsync(http.User) is not { TwoFactorEnabled: true };
    }
}
