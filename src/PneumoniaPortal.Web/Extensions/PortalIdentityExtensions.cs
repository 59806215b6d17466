using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using PneumoniaPortal.Web.Components.Account;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web;

public static class PortalIdentityExtensions
{
    /// <summary>Email + password sign-in with lockout, roles Student / Instructor / Admin, cookie authentication.</summary>
    public static void AddPortalIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.ExpireTimeSpan = TimeSpan.FromDays(7);
            o.SlidingExpiration = true;
            // API and hub callers get a status code, not a redirect to an HTML page.
            o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
        });
        services.AddIdentityCore<PortalUser>(o =>
            {
                o.SignIn.RequireConfirmedAccount = false;
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddAuthorization();
        // Sign-in cookies survive restarts and are shared by every portal node that shares the data folder.
        services.AddDataProtection()
            .SetApplicationName("PneumoniaPortal")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(PortalPaths.From(builder.Settings<PortalOptions>(PortalOptions.Section), builder.Environment).DataDirectory, "keys")));
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        builder.Settings<RegistrationOptions>(RegistrationOptions.Section);
        builder.Settings<RateLimitOptions>(RateLimitOptions.Section);
        services.AddSingleton<RateLimits>();
    }

    static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
        {
            // Re-executing a POST as the HTML not-found page would fail antiforgery and turn 401/403 into 400.
            ctx.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
