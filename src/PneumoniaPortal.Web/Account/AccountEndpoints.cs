using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Account;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/Logout", async (HttpContext http, [FromServices] IAntiforgery antiforgery, [FromServices] SignInManager<PortalUser> signIn) =>
        {
            // Without the token of the page's sign-out form, any other site could sign people out with a hidden form.
            if (!await antiforgery.IsRequestValidAsync(http))
                return Refusal.Answer(RefusalKind.Invalid, "Sign out with the button in the portal's menu (the form's security token is missing or expired).");
            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/Account/Login");
        });

        // The "My data" page's form; without its token another site could start the download.
        endpoints.MapPost("/Account/Manage/DownloadPersonalData", async (HttpContext http, [FromServices] IAntiforgery antiforgery, AccountService account, CancellationToken ct) =>
            {
                if (!await antiforgery.IsRequestValidAsync(http))
                    return Refusal.Answer(RefusalKind.Invalid, "Download your data with the button on the My data page (the form's security token is missing or expired).");
                return Results.Stream(output => account.WriteExportAsync(output, ct), "application/zip", AccountService.ExportFileName);
            })
            .RequireAuthorization();
    }
}
