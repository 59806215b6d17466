using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Classes;

/// <summary>Classes: instructors create them and see their join codes; students join with a code.</summary>
public sealed class CourseService(IDbContextFactory<PortalDbContext> dbFactory, CurrentUser currentUser, RateLimits limits)
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
                x.c.Id, x.c.Name, x.c.JoinCode, x.Role,
                Students = x.c.Members.Count(m => m.Role == CourseRole.Student),
                Instructors = x.c.Members.Count(m => m.Role == CourseRole.Instructor),
            })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Name)
            .Select(r => new CourseSummary(r.Id, r.Name, r.Role == CourseRole.Instructor ? r.JoinCode : null, r.Role, r.Students, r.Instructors))
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
        db.CourseMembers.Add(new CourseMember { CourseId = course.Id, UserId = viewer.Id, Role = CourseRole.Student });
        await db.SaveChangesAsync(ct);
        return course.Name;
    }

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
