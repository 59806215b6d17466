using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Security;

/// <summary>
/// Who sees a run (docs/security.md): a run belongs to its student; it is private until shared to the class;
/// instructors see all runs of their classes; admins see everything. Pages, APIs and the hub all ask here.
/// </summary>
public static class RunAccess
{
    /// <summary>Runs the viewer may see, as a query to filter further.</summary>
    public static IQueryable<TrainingRun> VisibleTo(this IQueryable<TrainingRun> runs, PortalDbContext db, Viewer viewer)
    {
        if (viewer.IsAdmin) return runs;
        var teaching = db.TaughtBy(viewer);
        var attending = db.CourseMembers.Where(m => m.UserId == viewer.Id).Select(m => m.CourseId);
        return runs.Where(r => r.OwnerId == viewer.Id
            || (r.CourseId != null && teaching.Contains(r.CourseId.Value))
            || (r.SharedWithCourse && r.CourseId != null && attending.Contains(r.CourseId.Value)));
    }

    public static Task<bool> CanViewAsync(PortalDbContext db, Viewer viewer, int runId, CancellationToken ct = default) =>
        db.Runs.Where(r => r.Id == runId).VisibleTo(db, viewer).AnyAsync(ct);

    /// <summary>
    /// Whether the viewer sees the run for good (its owner, an instructor of its class, an admin) or only while its
    /// owner shares it with the class; null when not at all.
    /// </summary>
    public static async Task<bool?> SeesOnlyWhileSharedAsync(PortalDbContext db, Viewer viewer, int runId, CancellationToken ct = default) =>
        await CanViewAsync(db, viewer, runId, ct) ? !await CanControlAsync(db, viewer, runId, ct) : null;

    /// <summary>Cancel and resume: the owner, an instructor of the run's class, or an admin.</summary>
    public static async Task<bool> CanControlAsync(PortalDbContext db, Viewer viewer, int runId, CancellationToken ct = default)
    {
        if (viewer.IsAdmin) return await db.Runs.AnyAsync(r => r.Id == runId, ct);
        return await db.Runs.AnyAsync(r => r.Id == runId && (r.OwnerId == viewer.Id
            || (r.CourseId != null && db.CourseMembers.Any(m => m.CourseId == r.CourseId && m.UserId == viewer.Id && m.Role == CourseRole.Instructor))), ct);
    }
}
