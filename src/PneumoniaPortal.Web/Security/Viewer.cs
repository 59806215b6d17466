using System.Security.Claims;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Security;

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
