using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Components.Account;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/Logout", async ([FromServices] SignInManager<PortalUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        });
    }
}
