using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// A student's queued and running runs each hold one of the slots 1 to Training:MaxQueuedRunsPerStudent
/// (<see cref="TrainingRun.QuotaSlot"/>). The database's unique index over active runs is what enforces the quota:
/// two runs started at the same moment, on one node or two, cannot both take the last slot.
/// </summary>
public static class QuotaSlots
{
    /// <summary>The lowest slot none of the owner's other active runs holds, or null when every slot is held.</summary>
    public static async Task<int?> FreeAsync(PortalDbContext db, string ownerId, int slots, int? exceptRunId, CancellationToken ct)
    {
        var held = await db.Runs
            .Where(r => r.OwnerId == ownerId && r.Id != exceptRunId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running) && r.QuotaSlot != null)
            .Select(r => r.QuotaSlot!.Value).ToListAsync(ct);
        return Enumerable.Range(1, Math.Max(0, slots)).Select(s => (int?)s).FirstOrDefault(s => !held.Contains(s!.Value));
    }

    /// <summary>Whether the person is an instructor or an admin, whose runs hold no slot.</summary>
    public static Task<bool> IsStaffAsync(PortalDbContext db, string userId, CancellationToken ct) =>
        db.UserRoles.AnyAsync(ur => ur.UserId == userId
            && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Instructor || r.Name == Roles.Admin)), ct);
}
