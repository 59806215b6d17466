using Microsoft.AspNetCore.Identity;

namespace PneumoniaPortal.Web.Data;

/// <summary>A person who signs in: student, instructor or admin (roles are Identity roles, see <see cref="Roles"/>).</summary>
public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>When the person last signed in (password or two-factor), for the people and roster pages.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
    /// <summary>
    /// Set when the person deleted their account: the row stays, nameless and unable to sign in, so that what they gave a
    /// class (votes, accepted relabels, practice answers) keeps its author without their name.
    /// </summary>
    public DateTimeOffset? DeletedAt { get; set; }
    /// <summary>
    /// The class the person chose to work in (the picker beside their name): its data set is the one their explorer, new
    /// runs, doubtful queue and proposals show. Null, or a class they left: their first open class.
    /// </summary>
    public int? WorkingCourseId { get; set; }
}
