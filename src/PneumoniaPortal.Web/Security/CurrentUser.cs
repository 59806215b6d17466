using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using PneumoniaPortal.Web.Data;

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

    /// <summary>The network address the request (or the page's live connection) came from, for per-address limits; null when unknown.</summary>
    public System.Net.IPAddress? Address => http?.HttpContext?.Connection.RemoteIpAddress;
}

/// <summary>Who is asking, as the access rules need it.</summary>
public sealed record Viewer(string Id, string Name, bool IsStudent, bool IsInstructor, bool IsAdmin)
{
    public bool IsAuthenticated => Id.Length > 0;
    public bool IsStaff => IsInstructor || IsAdmin;

    public static Viewer Of(ClaimsPrincipal p) => new(
        p.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
        p.Identity?.Name ?? "",
        p.IsInRole(Roles.Student),
        p.IsInRole(Roles.Instructor),
        p.IsInRole(Roles.Admin));
}
