using Microsoft.AspNetCore.Identity;

namespace PneumoniaPortal.Web.Data;

/// <summary>A person who signs in: student, instructor or admin (roles are Identity roles, see <see cref="Roles"/>).</summary>
public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
