using MudBlazor.Services;
using PneumoniaPortal.Web.Account;
using PneumoniaPortal.Web.Activations;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Compare;
using PneumoniaPortal.Web.Dashboard;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.DoubtfulImages;
using PneumoniaPortal.Web.Groups;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.People;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Results;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Scale;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web;

public static class PortalUiExtensions
{
    public static void AddPortalUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
    }

    /// <summary>The request pipeline: errors, static files, auth, the Blazor app, account endpoints, APIs, hubs.</summary>
    public static void UsePortal(this WebApplication app)
    {
        app.UseHttpSecurity();
        if (!app.Services.GetRequiredService<PortalRole>().ServesUsers)
        {
            // A worker node trains; it answers only the load balancer's and orchestrator's health probes.
            app.UseDatabaseUnavailablePage();
            app.MapPortalHealth();
            return;
        }
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        // Inside the exception handler, so a database outage is answered as a 503 in words, not as the generic error page.
        app.UseDatabaseUnavailablePage();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // APIs answer with their status (and JSON where they say why), never with the HTML page: one 404 is like another.
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api"))
                http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
            await next(http);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        // After sign-in is known: a signed-in person's form tokens are bound to them (before it, every form of a signed-in
        // page was refused as forged).
        app.UseAntiforgery();
        app.UseTwoFactorForAdmins();
        app.UseCrossSiteApiGuard();
        app.UseApiBadRequests();
        app.MapStaticAssets();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapDatasetEndpoints();
        app.MapRunsEndpoints();
        app.MapResultsEndpoints();
        app.MapCompareEndpoints();
        app.MapGroupsEndpoints();
        app.MapDashboardEndpoints();
        app.MapActivationsEndpoints();
        app.MapLeaderboardsEndpoints();
        app.MapDoubtfulImagesEndpoints();
        app.MapProposalsEndpoints();
        app.MapPracticeEndpoints();
        app.MapClassesEndpoints();
        app.MapPeopleEndpoints();
        app.MapPortalHealth();
    }
}
