using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace PneumoniaPortal.Web.Tests.Host;

/// <summary>A signed-in person for a service made by hand in a test (as a page's circuit would give it).</summary>
public sealed class FixedUser(string id, string role) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(
        new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Role, role)], "test"))));

    public Web.Security.CurrentUser AsCurrentUser() => new(this);
}
