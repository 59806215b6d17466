using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Security;

/// <summary>Who teaches which class: the one place leaderboards, practice sets and run access ask.</summary>
public static class CourseAccess
{
    /// <summary>Ids of the classes the viewer teaches (admins count as teaching none here; check IsAdmin first).</summary>
    public static IQueryable<int> TaughtBy(this PortalDbContext db, Viewer viewer) =>
        db.CourseMembers.Where(m => m.UserId == viewer.Id && m.Role == CourseRole.Instructor).Select(m => m.CourseId);

    /// <summary>Whether the viewer may manage the class: an instructor of it, or an admin.</summary>
    public static async Task<bool> TeachesAsync(this PortalDbContext db, Viewer viewer, int courseId, CancellationToken ct = default) =>
        viewer.IsAdmin || await db.TaughtBy(viewer).AnyAsync(id => id == courseId, ct);

    /// <summary>
    /// The people whose class work the viewer sees (proposals, votes, who said what): the viewer and the members of the
    /// classes they are in, students and instructors alike; null for admins, who see every class.
    /// </summary>
    public static async Task<IReadOnlySet<string>?> ClassmatesAsync(this PortalDbContext db, Viewer viewer, CancellationToken ct = default)
    {
        if (viewer.IsAdmin) return null;
        var mine = db.CourseMembers.Where(m => m.UserId == viewer.Id).Select(m => m.CourseId);
        var people = await db.CourseMembers.Where(m => mine.Contains(m.CourseId)).Select(m => m.UserId).Distinct().ToListAsync(ct);
        return people.Append(viewer.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The classes the viewer may manage (those they teach; every class for an admin), by name.</summary>
    public static async Task<IReadOnlyList<(int Id, string Name)>> CoursesToManageAsync(this PortalDbContext db, Viewer viewer, CancellationToken ct = default)
    {
        var taught = db.TaughtBy(viewer);
        var courses = await db.Courses.Where(c => viewer.IsAdmin || taught.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        return courses.OrderBy(c => c.Name).Select(c => (c.Id, c.Name)).ToList();
    }
}
