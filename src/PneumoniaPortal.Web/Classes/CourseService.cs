using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Classes;

/// <summary>
/// Classes: instructors create them, see their join codes and run their roster (members, co-instructors, a new code,
/// quotas, archiving); students join with a code. Every roster action is for the class's instructors and admins.
/// </summary>
public sealed class CourseService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    RateLimits limits,
    UserManager<PortalUser> users,
    IOptions<TrainingOptions> training,
    Dataset.DatasetService datasets,
    ILogger<CourseService> log)
{
    public async Task<IReadOnlyList<CourseSummary>> MyCoursesAsync(CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = viewer.IsAdmin
            ? db.Courses.Select(c => new { c, Role = CourseRole.Instructor })
            : db.CourseMembers.Where(m => m.UserId == viewer.Id).Select(m => new { c = m.Course!, m.Role });
        var rows = await query
            .Select(x => new
            {
                x.c.Id, x.c.Name, x.c.JoinCode, x.Role, x.c.ArchivedAt, x.c.DatasetId,
                Students = x.c.Members.Count(m => m.Role == CourseRole.Student),
                Instructors = x.c.Members.Count(m => m.Role == CourseRole.Instructor),
            })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Name)
            .Select(r => new CourseSummary(r.Id, r.Name, r.Role == CourseRole.Instructor ? r.JoinCode : null, r.Role, r.Students, r.Instructors, r.ArchivedAt is not null,
                r.Role == CourseRole.Instructor ? r.DatasetId : null))
            .ToList();
    }

    public async Task<CourseSummary> CreateAsync(string name, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsStaff) throw Refusal.Forbidden("Only instructors can create classes.");
        name = (name ?? "").Trim();
        if (name.Length is < 3 or > 120) throw Refusal.Invalid("A class name needs 3 to 120 characters.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = new Course { Name = name, JoinCode = await NewJoinCodeAsync(db, ct), CreatedById = viewer.Id };
        course.Members.Add(new CourseMember { UserId = viewer.Id, Role = CourseRole.Instructor });
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        return new CourseSummary(course.Id, course.Name, course.JoinCode, CourseRole.Instructor, 0, 1);
    }

    /// <summary>Joins the class with this code as a student; returns its name, or throws a <see cref="Refusal"/>.</summary>
    public async Task<string> JoinAsync(string code, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsAuthenticated) throw Refusal.Forbidden("Sign in to join a class.");
        if (limits.TryTake(LimitedAction.JoinClass, viewer.Id, currentUser.Address) is { } tooMany) throw Refusal.TooMany(tooMany);
        code = (code ?? "").Trim().ToUpperInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.FirstOrDefaultAsync(c => c.JoinCode == code, ct)
            ?? throw Refusal.Invalid("That join code was not accepted. Check it with your instructor.");
        if (await db.CourseMembers.AnyAsync(m => m.CourseId == course.Id && m.UserId == viewer.Id, ct))
            throw Refusal.Conflict($"You are already in {course.Name}.");
        if (course.ArchivedAt is not null) throw Refusal.Invalid($"{course.Name} is archived and takes no new members.");
        db.CourseMembers.Add(new CourseMember { CourseId = course.Id, UserId = viewer.Id, Role = CourseRole.Student });
        await db.SaveChangesAsync(ct);
        return course.Name;
    }

    /// <summary>The class's roster, code, quotas and state, for its instructors and admins.</summary>
    public async Task<ClassRoster> RosterAsync(int courseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await TaughtAsync(db, courseId, ct);
        var since = DateTimeOffset.UtcNow - ClassLimits.Window;
        var members = await db.CourseMembers.Where(m => m.CourseId == courseId)
            .Select(m => new
            {
                m.UserId, m.User!.DisplayName, m.User.Email, m.Role, m.JoinedAt, m.User.LastSignInAt,
                LastRun = db.Runs.Where(r => r.OwnerId == m.UserId && r.CourseId == courseId).Max(r => (DateTimeOffset?)r.QueuedAt),
                Runs = db.Runs.Count(r => r.OwnerId == m.UserId && r.CourseId == courseId),
                Active = db.Runs.Count(r => r.OwnerId == m.UserId && r.CourseId == courseId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)),
            }).ToListAsync(ct);
        var recent = await db.Runs.Where(r => r.CourseId == courseId && r.QueuedAt >= since)
            .Select(r => new { r.OwnerId, r.Status, r.StartedAt, r.FinishedAt, r.EstimatedSeconds }).ToListAsync(ct);
        var minutes = recent.GroupBy(r => r.OwnerId).ToDictionary(g => g.Key, g => g.Sum(r => ClassLimits.Minutes(r.Status, r.StartedAt, r.FinishedAt, r.EstimatedSeconds)));
        var roster = members
            .Select(m => new RosterMember(m.UserId, m.DisplayName, m.Email ?? "", m.Role, m.JoinedAt,
                Later(m.LastSignInAt, m.LastRun), m.Runs, m.Active, Math.Round(minutes.GetValueOrDefault(m.UserId), 1)))
            .OrderBy(m => m.Role == CourseRole.Instructor ? 0 : 1).ThenBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
        var portal = training.Value;
        return new ClassRoster(course.Id, course.Name, course.JoinCode, course.ArchivedAt is not null, course.DatasetId,
            new ClassQuotas(course.MaxQueuedRunsPerStudent, course.MaxEpochsPerRun, course.MaxComputeMinutesPerWeek),
            new ClassQuotas(portal.MaxQueuedRunsPerStudent, portal.MaxEpochsPerRun, null), roster);
    }

    /// <summary>
    /// Takes someone off the class: they no longer see its shared runs, leaderboards or practice sets; their own runs
    /// stay theirs (and stay filed under the class, for its instructors). The class keeps at least one instructor.
    /// </summary>
    public async Task RemoveMemberAsync(int courseId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await TaughtAsync(db, courseId, ct);
        var member = await db.CourseMembers.SingleOrDefaultAsync(m => m.CourseId == courseId && m.UserId == userId, ct)
            ?? throw Refusal.NotFound($"That person is not in {course.Name}.");
        if (member.Role == CourseRole.Instructor && await db.CourseMembers.CountAsync(m => m.CourseId == courseId && m.Role == CourseRole.Instructor, ct) == 1)
            throw Refusal.Conflict($"That is the only instructor of {course.Name}; add another one first.");
        db.CourseMembers.Remove(member);
        await db.SaveChangesAsync(ct);
        log.LogInformation("{Viewer} removed {User} from class {CourseId}", (await currentUser.GetAsync()).Id, userId, courseId);
    }

    /// <summary>A new join code for the class; the old one stops working at once.</summary>
    public async Task<string> RenewJoinCodeAsync(int courseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await TaughtAsync(db, courseId, ct);
        course.JoinCode = await NewJoinCodeAsync(db, ct);
        await db.SaveChangesAsync(ct);
        return course.JoinCode;
    }

    /// <summary>Adds an instructor of the portal (by email) as a co-instructor of the class.</summary>
    public async Task AddInstructorAsync(int courseId, string email, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await TaughtAsync(db, courseId, ct);
        var user = await users.FindByEmailAsync((email ?? "").Trim());
        if (user is not { DeletedAt: null } || !(await users.IsInRoleAsync(user, Roles.Instructor) || await users.IsInRoleAsync(user, Roles.Admin)))
            throw Refusal.Invalid("There is no instructor with that email. An admin can invite them on the People page first.");
        var member = await db.CourseMembers.SingleOrDefaultAsync(m => m.CourseId == courseId && m.UserId == user.Id, ct);
        if (member is { Role: CourseRole.Instructor }) throw Refusal.Conflict($"{user.DisplayName} already teaches {course.Name}.");
        if (member is null) db.CourseMembers.Add(new CourseMember { CourseId = courseId, UserId = user.Id, Role = CourseRole.Instructor });
        else member.Role = CourseRole.Instructor;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Archives the class (read-only; its leaderboards frozen) or opens it again.</summary>
    public async Task SetArchivedAsync(int courseId, bool archived, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await TaughtAsync(db, courseId, ct);
        course.ArchivedAt = archived ? course.ArchivedAt ?? DateTimeOffset.UtcNow : null;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The data set the class works on from now on (null: the portal's default, whichever it is). Its files are read
    /// first, so a set that can no longer be read is refused and the class stays where it was. Runs, leaderboards and
    /// practice sets made before keep the data set they were made on.
    /// </summary>
    public async Task SetDatasetAsync(int courseId, int? datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await TaughtAsync(db, courseId, ct);
        if (course.ArchivedAt is not null) throw Refusal.Conflict($"{course.Name} is archived: reopen it to change its data set.");
        if (datasetId is { } id) await datasets.GetAsync(id, ct); // no such set, or unreadable: refused with the reason
        course.DatasetId = datasetId;
        await db.SaveChangesAsync(ct);
        log.LogInformation("{Viewer} moved class {CourseId} to data set {DatasetId}", (await currentUser.GetAsync()).Id, courseId, datasetId?.ToString() ?? "default");
    }

    /// <summary>The class's quotas for its students; each must be within the portal's own.</summary>
    public async Task SetQuotasAsync(int courseId, ClassQuotas quotas, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await TaughtAsync(db, courseId, ct);
        var portal = training.Value;
        var problems = new List<string>();
        if (quotas.MaxQueuedRunsPerStudent is { } queued && (queued < 1 || queued > portal.MaxQueuedRunsPerStudent))
            problems.Add($"Runs queued at once must be 1 to {portal.MaxQueuedRunsPerStudent} (the portal's limit), or empty.");
        if (quotas.MaxEpochsPerRun is { } epochs && (epochs < 1 || epochs > portal.MaxEpochsPerRun))
            problems.Add($"Epochs per run must be 1 to {portal.MaxEpochsPerRun} (the portal's limit), or empty.");
        if (quotas.MaxComputeMinutesPerWeek is { } minutes && (double.IsNaN(minutes) || minutes < 1 || minutes > 7 * 24 * 60))
            problems.Add("Training minutes per student per week must be 1 to 10,080, or empty for no weekly limit.");
        if (problems.Count > 0) throw new Refusal(RefusalKind.Invalid, problems);
        course.MaxQueuedRunsPerStudent = quotas.MaxQueuedRunsPerStudent;
        course.MaxEpochsPerRun = quotas.MaxEpochsPerRun;
        course.MaxComputeMinutesPerWeek = quotas.MaxComputeMinutesPerWeek;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The class, when the viewer teaches it (or is an admin); otherwise the same "not found" for every id.</summary>
    async Task<Course> TaughtAsync(PortalDbContext db, int courseId, CancellationToken ct)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsStaff) throw Refusal.Forbidden("Only the instructors of a class manage it.");
        var course = await db.Courses.SingleOrDefaultAsync(c => c.Id == courseId, ct);
        if (course is null || !await db.TeachesAsync(viewer, courseId, ct)) throw Refusal.NotFound("There is no such class among those you teach.");
        return course;
    }

    static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    public static async Task<string> NewJoinCodeAsync(PortalDbContext db, CancellationToken ct = default)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O or 1/I to misread
        while (true)
        {
            var code = new string(Enumerable.Range(0, 6).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
            if (!await db.Courses.AnyAsync(c => c.JoinCode == code, ct)) return code;
        }
    }
}
