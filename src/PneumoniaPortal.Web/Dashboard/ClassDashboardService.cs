using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Compare;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Dashboard;

/// <summary>
/// The class view (issue 17): one row per student, the settings that mattered pooled over the class's finished runs,
/// and the test images the class gets wrong most often. Instructors of the class and admins see every row and pool
/// every run; a student of the class sees their own row, and pooled charts over the runs they may see anyway (their
/// own and those classmates shared), so nothing of a classmate's private run reaches them, not even in a mean.
/// Anyone else is told the class does not exist.
/// </summary>
public sealed class ClassDashboardService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    DatasetService datasets,
    WorkingClasses workingClasses,
    HeldOutImages heldOut,
    RunMisses misses)
{
    /// <summary>The settings the chart shows first when they vary, in this order.</summary>
    static readonly string[] MainSettings =
    [
        "Architecture.Name", "Architecture.InputSize", "Training.LearningRate", "Training.Optimizer", "Training.Epochs", "Training.BatchSize",
        "Training.Imbalance", "Training.PerImageStandardization", "Augmentation.Enabled", "Training.Scheduler",
    ];

    /// <summary>Not choices that say anything pooled: each run has its own seed, and the device is the server's.</summary>
    static readonly IReadOnlySet<string> NotEstimated = new HashSet<string>(StringComparer.Ordinal) { "Training.Seed", "Training.Device" };

    public const int MaxAxes = 7;
    public const int MaxEffects = 8;
    public const int GallerySize = 24;

    public async Task<ClassDashboard> GetAsync(int courseId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (course, teaches) = await LoadAsync(db, viewer, courseId, ct);

        var students = await db.CourseMembers.AsNoTracking().Where(m => m.CourseId == courseId && m.Role == CourseRole.Student)
            .Where(m => teaches || m.UserId == viewer.Id)
            .Select(m => new { m.UserId, m.User!.DisplayName, m.User.Email, m.User.LastSignInAt })
            .ToListAsync(ct);
        var ids = students.Select(s => s.UserId).ToList();

        // The runs pooled: every run of the class for its instructors; for a student the ones they may see.
        var classRuns = db.Runs.AsNoTracking().Where(r => r.CourseId == courseId);
        var visible = teaches ? classRuns : classRuns.VisibleTo(db, viewer);
        var runs = await visible
            .Select(r => new PooledRun(r.Id, r.OwnerId, r.Owner!.DisplayName, r.Name, r.Status, r.ConfigJson, r.DatasetId, r.Folder,
                r.BestValAuc, r.TestAuc, r.TestAccuracy, r.QueuedAt, r.GroupId))
            .ToListAsync(ct);

        var rowsByStudent = await StudentRowsAsync(db, course, teaches, viewer, ids, runs, ct);
        var rows = students
            .Select(s => rowsByStudent(s.UserId, s.DisplayName is { Length: > 0 } n ? n : s.Email ?? "student", teaches ? s.Email : null, s.LastSignInAt))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        var finished = runs.Where(r => r.Status == RunStatus.Succeeded && r.TestAuc is { } auc && double.IsFinite(auc)).ToList();
        var settings = finished.Select(r => Settings(r.ConfigJson)).ToList();
        var effects = SettingEffects.Estimate(finished.Select((r, i) => (settings[i], r.TestAuc!.Value)).ToList(), NotEstimated)
            .Take(MaxEffects)
            .Select(e => new DashboardEffect(e.Setting, e.Value, e.Difference, Defined(e.Comparison.Lower), Defined(e.Comparison.Upper), Defined(e.Comparison.P),
                e.CountWith, e.CountWithout, e.Sentence("test AUC")))
            .ToList();
        var axes = Axes(settings, effects);
        var lines = finished.Select((r, i) => new DashboardLine(r.Id, teaches || r.OwnerId == viewer.Id ? $"{r.Name} ({r.Owner})" : r.Name,
                axes.Select(a => settings[i].GetValueOrDefault(a.Setting, SettingsDiff.Missing)).ToList(), r.TestAuc!.Value))
            .ToList();

        var (galleryRuns, missed) = await MostMissedAsync(course, finished, ct);
        var board = await db.Leaderboards.AsNoTracking().Where(b => b.CourseId == courseId).OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id)
            .Select(b => new { b.Id, b.Title }).FirstOrDefaultAsync(ct);
        return new ClassDashboard(course.Id, course.Name, teaches, board?.Title, board?.Id, rows, finished.Count, axes, lines, effects, galleryRuns, missed);
    }

    sealed record PooledRun(int Id, string OwnerId, string Owner, string Name, RunStatus Status, string ConfigJson, int DatasetId, string Folder,
        double? BestValAuc, double? TestAuc, double? TestAccuracy, DateTimeOffset QueuedAt, int? GroupId);

    static double? Defined(double value) => double.IsFinite(value) ? value : null;

    /// <summary>
    /// A function from a student to their row: runs, groups, best figures, the newest leaderboard's standing (private
    /// only where the viewer may see it) and practice agreement (for a student, closed sets and images they may see).
    /// </summary>
    async Task<Func<string, string, string?, DateTimeOffset?, DashboardStudent>> StudentRowsAsync(PortalDbContext db, Course course, bool teaches, Viewer viewer,
        IReadOnlyList<string> ids, IReadOnlyList<PooledRun> runs, CancellationToken ct)
    {
        var groups = await db.SeedGroups.AsNoTracking().Where(g => g.CourseId == course.Id && ids.Contains(g.OwnerId))
            .GroupBy(g => g.OwnerId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        var board = await db.Leaderboards.AsNoTracking().Where(b => b.CourseId == course.Id).OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id)
            .FirstOrDefaultAsync(ct);
        var standings = board is null ? null : await LeaderboardService.StandingsAsync(db, board.Id, teaches || board.PrivateRevealed, ct);

        var practice = await PracticeAgreementAsync(db, course.Id, teaches, ids, ct);
        var byOwner = runs.Where(r => ids.Contains(r.OwnerId)).ToLookup(r => r.OwnerId);
        return (userId, name, email, lastSignIn) =>
        {
            var theirs = byOwner[userId].ToList();
            var finished = theirs.Where(r => r.Status == RunStatus.Succeeded).ToList();
            var best = finished.Where(r => r.TestAuc is not null).OrderByDescending(r => r.TestAuc).ThenBy(r => r.Id).FirstOrDefault();
            var standing = standings?.GetValueOrDefault(userId);
            var (answered, agreement) = practice.GetValueOrDefault(userId);
            DateTimeOffset? lastRun = theirs.Count == 0 ? null : theirs.Max(r => r.QueuedAt);
            return new DashboardStudent(name, email, userId == viewer.Id, theirs.Count, finished.Count, groups.GetValueOrDefault(userId),
                finished.Max(r => r.BestValAuc), best?.TestAuc, best?.TestAccuracy, best?.Id,
                standing?.PublicRank, standing?.PublicScore, standing?.PrivateRank, standing?.PrivateScore, standing?.Entrants,
                answered, agreement, Later(lastSignIn, lastRun));
        };
    }

    static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>Per student: gold-standard practice answers and the share that match the gold label.</summary>
    async Task<IReadOnlyDictionary<string, (int Answered, double? Agreement)>> PracticeAgreementAsync(PortalDbContext db, int courseId, bool teaches,
        IReadOnlyList<string> ids, CancellationToken ct)
    {
        var answers = await (
                from a in db.BlindLabels.AsNoTracking()
                join i in db.BlindLabellingItems on a.ItemId equals i.Id
                where ids.Contains(a.UserId) && i.GoldLabel != null && i.Set!.CourseId == courseId && (teaches || i.Set.Closed)
                select new { a.UserId, a.Label, Gold = i.GoldLabel!.Value, i.RelativePath, i.Set!.DatasetId })
            .ToListAsync(ct);
        if (!teaches)
        {
            // A student's own figure leaves out images a leaderboard now holds back, as their practice page does.
            var hidden = new HashSet<string>(StringComparer.Ordinal);
            foreach (var datasetId in answers.Select(a => a.DatasetId).Distinct())
                if (await datasets.FindAsync(datasetId, ct) is { } set) hidden.UnionWith(await heldOut.PathsAsync(set.Catalog, ct));
            answers = answers.Where(a => !hidden.Contains(a.RelativePath)).ToList();
        }
        return answers.GroupBy(a => a.UserId).ToDictionary(g => g.Key, g => (g.Count(), (double?)g.Count(a => a.Label == a.Gold) / g.Count()));
    }

    static IReadOnlyDictionary<string, string> Settings(string configJson)
    {
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(configJson, RunFolder.Json) is { } config ? SettingsDiff.Flatten(config) : new Dictionary<string, string>();
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>();
        }
    }

    /// <summary>
    /// The chart's axes: the main settings that vary among the pooled runs, then the settings of the clearest effects,
    /// at most <see cref="MaxAxes"/>; with nothing varying, the first four main settings. Values by size when all are numbers.
    /// </summary>
    static IReadOnlyList<DashboardAxis> Axes(IReadOnlyList<IReadOnlyDictionary<string, string>> settings, IReadOnlyList<DashboardEffect> effects)
    {
        IReadOnlyList<string> ValuesOf(string setting) => settings.Select(s => s.GetValueOrDefault(setting, SettingsDiff.Missing)).Distinct(StringComparer.Ordinal).ToList();
        var varying = MainSettings.Concat(effects.Select(e => e.Setting)).Distinct(StringComparer.Ordinal).Where(s => ValuesOf(s).Count > 1).Take(MaxAxes).ToList();
        var chosen = varying.Count > 0 || settings.Count == 0 ? varying : MainSettings.Take(4).ToList();
        return chosen.Select(s => new DashboardAxis(s, Ordered(ValuesOf(s)))).ToList();
    }

    static IReadOnlyList<string> Ordered(IReadOnlyList<string> values)
    {
        static double? Number(string v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        return values.All(v => Number(v) is not null)
            ? values.OrderBy(v => Number(v)).ToList()
            : values.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The test images of the class's data set most of the pooled runs on it call wrong. Images a leaderboard holds
    /// back are left out for everyone, as on every results page; a data set that cannot be read shows none.
    /// </summary>
    async Task<(int Runs, IReadOnlyList<MissedImage> Images)> MostMissedAsync(Course course, IReadOnlyList<PooledRun> finished, CancellationToken ct)
    {
        var datasetId = await workingClasses.DatasetIdOfClassAsync(course.Id, ct);
        if (await datasets.FindAsync(datasetId, ct) is not { } dataset) return (0, []);
        var hidden = await heldOut.PathsAsync(dataset.Catalog, ct);
        var onIt = finished.Where(r => r.DatasetId == datasetId && r.Folder.Length > 0).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = await Task.Run(() =>
        {
            var n = 0;
            foreach (var run in onIt)
            {
                if (misses.Of(run.Id, run.Folder) is not { } missed) continue;
                n++;
                foreach (var path in missed)
                    if (!hidden.Contains(path)) counts[path] = counts.GetValueOrDefault(path) + 1;
            }
            return n;
        }, ct);
        var images = counts
            .Select(c => (Path: c.Key, Missed: c.Value, Index: dataset.IndexOf(c.Key)))
            .Where(c => c.Index is not null)
            .OrderByDescending(c => c.Missed).ThenBy(c => c.Path, StringComparer.Ordinal)
            .Take(GallerySize)
            .Select(c => new MissedImage(dataset.IdOf(c.Index!.Value), dataset.Catalog.Images[c.Index.Value].Label, c.Missed, read))
            .ToList();
        return (read, images);
    }

    /// <summary>The class, and whether the viewer teaches it; a class the viewer is not in does not exist for them.</summary>
    static async Task<(Course Course, bool Teaches)> LoadAsync(PortalDbContext db, Viewer viewer, int courseId, CancellationToken ct)
    {
        var course = await db.Courses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == courseId, ct) ?? throw Missing(courseId);
        if (await db.TeachesAsync(viewer, courseId, ct)) return (course, true);
        if (await db.CourseMembers.AnyAsync(m => m.CourseId == courseId && m.UserId == viewer.Id, ct)) return (course, false);
        throw Missing(courseId);
    }

    static Refusal Missing(int id) => Refusal.NotFound($"Class {id} does not exist or you are not in it.");

    /// <summary>The per-student figures as CSV for a gradebook, for the class's instructors and admins only.</summary>
    public async Task<(string FileName, string Csv)> CsvAsync(int courseId, CancellationToken ct = default)
    {
        var dashboard = await GetAsync(courseId, ct);
        if (!dashboard.IsInstructorView) throw Refusal.Forbidden("Only an instructor of the class can export its figures.");
        return (DashboardCsv.FileName(dashboard), DashboardCsv.Write(dashboard));
    }
}
