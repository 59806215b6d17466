using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace PneumoniaPortal.Web.Security;

/// <summary>The signed-in user of this circuit or request: id, name and roles.</summary>
public sealed class CurrentUser(AuthenticationStateProvider? authState = null, IHttpContextAccessor? http = null)
{
    ClaimsPrincipal? _principal;

    public async Task<ClaimsPrincipal> PrincipalAsync()
    {
        if (_principal is not null) return _principal;
        if (http?.HttpContext?.User is { Identity.IsAuthenticated: true } fromRequest) return _principal = fromRequest;
        if (authState is null) return new ClaimsPrincipal(new ClaimsIdentity());
        return _principal = (await authState.GetAuthenticationStateAsync()).User;
    }

    public async Task<Viewer> GetAsync() => Viewer.Of(await PrincipalAsync());

    /// <summary>
    /// For work the portal does on someone's behalf outside any request or page (the demo student's example run, queued
    /// at first start): every service of this scope then acts as, and checks, that person.
    /// </summary>
    internal void ActAs(ClaimsPrincipal principal)
    {
        if (http?.HttpContext is not null || _principal is not null)
            throw new InvalidOperationException("Acting as someone else is for work outside any request, in a scope of its own.");
        _principal = principal;
    }

    /// <summary>The network address the request (or the page's live connection) came from, for per-address limits; null when unknown.</summary>
    public System.Net.IPAddress? Address => http?.HttpContext?.Connection.RemoteIpAddress;
}
