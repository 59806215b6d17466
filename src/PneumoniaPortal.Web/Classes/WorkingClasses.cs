using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Classes;

/// <summary>
/// Which class each person works in, and so which data set their explorer, new runs, doubtful queue, proposals and
/// practice show: the class they chose (<see cref="PortalUser.WorkingCourseId"/>), else the first open class they
/// joined, else none (the portal's default data set). A class works on its own data set (<see cref="Course.DatasetId"/>)
/// or, when its instructors never chose one, on the portal's default. Read from the database on every question, so a
/// choice made on another node, or a class moved to another data set, counts at once.
/// </summary>
public sealed class WorkingClasses(IDbContextFactory<PortalDbContext> dbFactory, DatasetService datasets)
{
    sealed record Row(int CourseId, string Name, int? DatasetId, bool Archived);

    public async Task<WorkingClass> OfAsync(Viewer viewer, CancellationToken ct = default)
    {
        var defaultId = await datasets.DefaultIdAsync(ct);
        if (!viewer.IsAuthenticated) return await DescribeAsync(null, [], defaultId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (joined, chosen) = await JoinedAsync(db, viewer, ct);
        var choices = joined;
        if (viewer.IsAdmin)
        {
            // Admins run every class: they may look at any class's data set, without joining it.
            var joinedIds = joined.Select(r => r.CourseId).ToList();
            choices = [.. joined, .. (await db.Courses.Where(c => !joinedIds.Contains(c.Id))
                .Select(c => new Row(c.Id, c.Name, c.DatasetId, c.ArchivedAt != null)).ToListAsync(ct)).OrderBy(r => r.Name)];
        }
        if (viewer.IsAdmin && joined.Count == 0)
            chosen = await db.Users.Where(u => u.Id == viewer.Id).Select(u => u.WorkingCourseId).FirstOrDefaultAsync(ct);
        return await DescribeAsync(Working(joined, choices, chosen), choices, defaultId, ct);
    }

    /// <summary>The classes the person joined, in the order they joined, and the one they chose (null when they joined none).</summary>
    static async Task<(List<Row> Joined, int? Chosen)> JoinedAsync(PortalDbContext db, Viewer viewer, CancellationToken ct)
    {
        var rows = await db.CourseMembers.Where(m => m.UserId == viewer.Id)
            .OrderBy(m => m.JoinedAt).ThenBy(m => m.CourseId)
            .Select(m => new { Row = new Row(m.CourseId, m.Course!.Name, m.Course.DatasetId, m.Course.ArchivedAt != null), Chosen = m.User!.WorkingCourseId })
            .ToListAsync(ct);
        return (rows.Select(r => r.Row).ToList(), rows.Count > 0 ? rows[0].Chosen : null);
    }

    /// <summary>The rule: the chosen class when it is still one of the choices, else the first open class joined, else the first joined.</summary>
    static Row? Working(IReadOnlyList<Row> joined, IReadOnlyList<Row> choices, int? chosen) =>
        choices.FirstOrDefault(c => c.CourseId == chosen) ?? joined.FirstOrDefault(c => !c.Archived) ?? joined.FirstOrDefault();

    async Task<WorkingClass> DescribeAsync(Row? working, IReadOnlyList<Row> choices, int defaultId, CancellationToken ct)
    {
        var ids = choices.Select(c => c.DatasetId ?? defaultId).Append(defaultId).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Datasets.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var datasetId = working?.DatasetId ?? defaultId;
        return new WorkingClass(working?.CourseId, working?.Name, datasetId, names.GetValueOrDefault(datasetId, ""),
            choices.Select(c => new ClassChoice(c.CourseId, c.Name, c.DatasetId ?? defaultId, names.GetValueOrDefault(c.DatasetId ?? defaultId, ""), c.Archived)).ToList());
    }

    /// <summary>The data set the viewer works on now, loaded.</summary>
    public async Task<LoadedDataset> DatasetOfAsync(Viewer viewer, CancellationToken ct = default) =>
        await datasets.GetAsync(await DatasetIdOfAsync(viewer, ct), ct);

    /// <summary>
    /// The id of the data set the viewer works on: what <see cref="OfAsync"/> says, in one query for someone in a class
    /// (every thumbnail asks).
    /// </summary>
    public async Task<int> DatasetIdOfAsync(Viewer viewer, CancellationToken ct = default)
    {
        if (!viewer.IsAuthenticated) return await datasets.DefaultIdAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (joined, chosen) = await JoinedAsync(db, viewer, ct);
        var working = Working(joined, joined, chosen);
        // An admin may work in a class without being in it: the full answer then.
        if (viewer.IsAdmin && (joined.Count == 0 || working?.CourseId != chosen)) return (await OfAsync(viewer, ct)).DatasetId;
        return working?.DatasetId ?? await datasets.DefaultIdAsync(ct);
    }

    /// <summary>
    /// The data sets whose images the viewer may be shown besides their own: those of their classes, of the runs they
    /// own or their classes hold, and of their classes' practice sets (a run's results or a closed practice set name
    /// images of the data set it was made on); every known one for staff. Held-back content stays hidden in all of them
    /// (<see cref="DatasetVisibility"/>).
    /// </summary>
    public async Task<IReadOnlyList<int>> VisibleDatasetIdsAsync(Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (viewer.IsStaff) return await db.Datasets.OrderByDescending(d => d.Id).Select(d => d.Id).ToListAsync(ct);
        var defaultId = await datasets.DefaultIdAsync(ct);
        var classes = db.CourseMembers.Where(m => m.UserId == viewer.Id).Select(m => m.CourseId);
        var ofClasses = await db.Courses.Where(c => classes.Contains(c.Id)).Select(c => c.DatasetId ?? defaultId).ToListAsync(ct);
        var ofRuns = await db.Runs.Where(r => r.OwnerId == viewer.Id || (r.CourseId != null && classes.Contains(r.CourseId.Value)))
            .Select(r => r.DatasetId).Distinct().ToListAsync(ct);
        var ofPractice = await db.BlindLabellingSets.Where(p => classes.Contains(p.CourseId)).Select(p => p.DatasetId).Distinct().ToListAsync(ct);
        return ofClasses.Concat(ofRuns).Concat(ofPractice).Append(defaultId).Distinct().ToList();
    }

    /// <summary>The data set a class works on (its own, else the portal's default); the default for no class.</summary>
    public async Task<int> DatasetIdOfClassAsync(int? courseId, CancellationToken ct = default)
    {
        if (courseId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.Courses.Where(c => c.Id == id).Select(c => c.DatasetId).FirstOrDefaultAsync(ct) is { } own) return own;
        }
        return await datasets.DefaultIdAsync(ct);
    }

    /// <summary>The person works in this class from now on (one of <see cref="WorkingClass.Choices"/>); null: their first open class.</summary>
    public async Task<WorkingClass> ChooseAsync(Viewer viewer, int? courseId, CancellationToken ct = default)
    {
        if (!viewer.IsAuthenticated) throw Refusal.Invalid("Sign in to choose a class.");
        if (courseId is { } id && (await OfAsync(viewer, ct)).Choices.All(c => c.CourseId != id))
            throw Refusal.NotFound("You are not in that class.");
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            await db.Users.Where(u => u.Id == viewer.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.WorkingCourseId, courseId), ct);
        return await OfAsync(viewer, ct);
    }
}
