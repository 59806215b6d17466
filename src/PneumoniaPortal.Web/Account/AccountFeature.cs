using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Components.Account;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Account;

/// <summary>The account feature: a person's own account pages, one-time links, two-factor sign-in, email.</summary>
public static class AccountFeature
{
    public static void AddAccount(this WebApplicationBuilder builder)
    {
        var account = builder.Settings<AccountOptions>(AccountOptions.Section);
        builder.Settings<EmailOptions>(EmailOptions.Section);
        var services = builder.Services;
        services.AddScoped<AccountService>();
        services.AddScoped<AccountLinks>();
        services.AddScoped<IdentityUserAccessor>();
        services.AddSingleton<PortalEmail>();
        // Reset links use Identity's default token provider; invitations their own, each with its lifetime.
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = account.ResetLinkLifetime);
        services.Configure<InviteTokenProvider.LinkOptions>(o =>
        {
            o.Name = InviteTokenProvider.ProviderName;
            o.TokenLifespan = account.InviteLinkLifetime;
        });
        services.AddTransient<InviteTokenProvider>();
        services.Configure<IdentityOptions>(o => o.Tokens.ProviderMap[InviteTokenProvider.ProviderName] = new TokenProviderDescriptor(typeof(InviteTokenProvider)));
        // A locked, demoted or deleted account loses its sign-ins within a minute, on every node.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.Events.OnSignedIn = RecordSignInAsync);
    }

    /// <summary>Every sign-in (password, two-factor, a refreshed one) stamps the account's last sign-in, for the people and roster pages.</summary>
    static async Task RecordSignInAsync(CookieSignedInContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<PortalUser>>();
        if (users.GetUserId(context.Principal!) is not { } id) return;
        var dbFactory = context.HttpContext.RequestServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, now));
    }
}
