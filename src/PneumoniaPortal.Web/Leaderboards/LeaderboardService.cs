using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Leaderboards;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>
/// Class leaderboards (docs/architecture.md, "Data sets, hidden labels, relabelling"): instructors create and run them, students submit their
/// finished runs. A submission is scored here, on the server, from the run's stored test predictions and the held-back
/// labels; only the scores leave this class. Every method checks the viewer's role in the leaderboard's class.
/// Refusals are thrown as <see cref="Refusal"/> with a message to show as it is.
/// </summary>
public sealed class LeaderboardService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    DatasetService datasets,
    Classes.WorkingClasses workingClasses,
    HeldOutImages heldOut,
    PortalPaths paths,
    ILogger<LeaderboardService> log)
{
    enum Role { None, Student, Instructor }

    /// <summary>The leaderboards of the viewer's classes (every class for an admin), newest first.</summary>
    public async Task<IReadOnlyList<LeaderboardSummary>> MineAsync(CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teaching = await db.TaughtBy(viewer).ToListAsync(ct);
        var attending = await db.CourseMembers.Where(m => m.UserId == viewer.Id).Select(m => m.CourseId).ToListAsync(ct);
        var boards = await db.Leaderboards.AsNoTracking().Include(l => l.Course)
            .Where(l => viewer.IsAdmin || attending.Contains(l.CourseId))
            .ToListAsync(ct);
        return boards.OrderByDescending(b => b.CreatedAt)
            .Select(b => new LeaderboardSummary(b.Id, b.CourseId, b.Course?.Name ?? "", b.Title, LeaderboardScoring.Describe(b.Metric, b.TargetSpecificity),
                b.Frozen || b.Course?.ArchivedAt is not null, b.PrivateRevealed, viewer.IsAdmin || teaching.Contains(b.CourseId)))
            .ToList();
    }

    /// <summary>The classes the viewer may create a leaderboard for (those they teach; every class for an admin).</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> CoursesICanManageAsync(CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CoursesToManageAsync(viewer, ct);
    }

    /// <summary>The leaderboard as the viewer may see it: the private ranking only for instructors, or for everyone once revealed.</summary>
    public async Task<LeaderboardView> GetAsync(int id, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (board, role) = await LoadAsync(db, viewer, id, ct);
        var submissions = await db.LeaderboardSubmissions.AsNoTracking()
            .Where(s => s.LeaderboardId == id)
            .Select(s => new SubmissionRow(s.Id, s.RunId, s.Run!.Name, s.UserId, s.User!.DisplayName, s.SubmittedAt, s.PublicScore, s.PrivateScore, s.Preset, s.Parameters))
            .ToListAsync(ct);
        var manages = role == Role.Instructor;
        var seesPrivate = manages || board.PrivateRevealed;

        var chosen = submissions.GroupBy(s => s.UserId)
            .Select(g => (Best: g.OrderByDescending(s => s.PublicScore).ThenBy(s => s.SubmittedAt).First(), Count: g.Count()))
            .ToList();
        var publicRanking = Rank(chosen, s => s.PublicScore, viewer, manages);
        // Not computed at all for a student before the reveal: nothing to leak.
        var privateRanking = seesPrivate ? Rank(chosen, s => s.PrivateScore, viewer, manages) : null;

        var mine = submissions.Where(s => s.UserId == viewer.Id).OrderByDescending(s => s.SubmittedAt)
            .Select(s => new MySubmission(s.Id, s.RunId, s.RunName, s.SubmittedAt, s.PublicScore, seesPrivate ? s.PrivateScore : null))
            .ToList();
        var now = DateTimeOffset.UtcNow;
        int? remaining = role == Role.Student
            ? LeaderboardScoring.RemainingToday(mine.Select(s => s.SubmittedAt), board.DailySubmissionLimit, now)
            : null;

        // How many images are held back, and what share of the test split, are the instructor's: with the visible counts
        // per class they would tell a student how many of each class are hidden.
        var images = manages ? await ImagesAsync(board, ct) : null;
        return new LeaderboardView(board.Id, board.CourseId, board.Course?.Name ?? "", board.Title, board.DatasetId, board.Metric,
            LeaderboardScoring.Describe(board.Metric, board.TargetSpecificity), board.TargetSpecificity, manages ? board.HeldOutFraction : null,
            manages ? board.Seed : null, images?.Public.Count, images?.Private.Count, board.DailySubmissionLimit,
            board.Frozen || board.Course?.ArchivedAt is not null, board.PrivateRevealed, manages, role == Role.Student,
            publicRanking, privateRanking, mine, publicRanking.FirstOrDefault(e => e.IsMine)?.Rank, remaining, NextUtcMidnight(now));
    }

    /// <summary>The viewer's runs that could be submitted: their own, finished, trained on the leaderboard's data set.</summary>
    public async Task<IReadOnlyList<EligibleRun>> EligibleRunsAsync(int id, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (board, role) = await LoadAsync(db, viewer, id, ct);
        if (role != Role.Student) return [];
        var runs = await db.Runs.AsNoTracking()
            .Where(r => r.OwnerId == viewer.Id && r.Status == RunStatus.Succeeded && r.DatasetId == board.DatasetId)
            .Select(r => new EligibleRun(r.Id, r.Name, r.Preset, r.Parameters, r.FinishedAt))
            .ToListAsync(ct);
        return runs.OrderByDescending(r => r.FinishedAt).ToList();
    }

    /// <summary>An instructor of the class creates its leaderboard on the class's data set.</summary>
    public async Task<LeaderboardView> CreateAsync(CreateLeaderboardRequest request, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.CourseId, ct);
        var teaches = course is not null && await db.TeachesAsync(viewer, course.Id, ct);
        if (!teaches)
            throw Refusal.Forbidden("Only an instructor of the class can create its leaderboard.");
        if (course!.ArchivedAt is not null) throw Refusal.Conflict($"{course.Name} is archived: reopen it on its roster page to add a leaderboard.");
        var settings = request.Settings ?? new LeaderboardSettings();
        var problems = settings.Validate().ToList();
        if (problems.Count > 0) throw Refusal.Invalid(string.Join(" ", problems));

        // The board scores runs on the class's data set, as it is when the board is made.
        var active = await datasets.GetAsync(await workingClasses.DatasetIdOfClassAsync(course.Id, ct), ct);
        // Every leaderboard on one data set holds back the same images: each new one holding back others would soon
        // leave students no visible test images at all.
        var sibling = await db.Leaderboards.AsNoTracking().Where(l => l.DatasetId == active.Id).OrderBy(l => l.Id).FirstOrDefaultAsync(ct);
        if (sibling is not null)
            settings = settings with { HeldOutFraction = sibling.HeldOutFraction, Seed = sibling.Seed };
        var board = new Leaderboard
        {
            CourseId = course!.Id,
            DatasetId = active.Id,
            Title = settings.Title.Trim(),
            HeldOutFraction = settings.HeldOutFraction,
            Seed = settings.Seed ?? RandomNumberGenerator.GetInt32(1, 1_000_000),
            Metric = settings.Metric,
            TargetSpecificity = settings.TargetSpecificity,
            DailySubmissionLimit = settings.DailySubmissionLimit,
            CreatedById = viewer.Id,
        };
        // Chosen on the labels as imported, so relabelling never moves an image in or out of a leaderboard.
        var halves = LeaderboardSplit.Choose(active.Catalog.Original.Images, board.HeldOutFraction, board.Seed);
        foreach (var (name, half) in new[] { ("public", halves.Public), ("private", halves.Private) })
            if (half.Select(i => i.Label).Distinct().Count() < 2)
                throw Refusal.Invalid($"The {name} half would not hold images of both classes: the test split of {active.Name} is too small for this share. Hold back a bigger share.");
        board.HeldBack.AddRange(HeldOutImages.Rows(halves));
        db.Leaderboards.Add(board);
        await db.SaveChangesAsync(ct);
        log.LogInformation("{User} created leaderboard {Id} '{Title}' for class {Course} on data set {Dataset} ({Public} public, {Private} private images)",
            viewer.Name, board.Id, board.Title, course.Name, active.Id, halves.Public.Count, halves.Private.Count);
        return await GetAsync(board.Id, ct);
    }

    /// <summary>Changes title, metric or limit; a new metric rescores every submission from its run's stored predictions.</summary>
    public async Task<LeaderboardView> UpdateSettingsAsync(int id, LeaderboardSettingsChange change, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (board, role) = await LoadAsync(db, viewer, id, ct, tracked: true);
        RequireInstructor(role, "change its settings");
        var settings = new LeaderboardSettings
        {
            Title = change.Title ?? board.Title,
            HeldOutFraction = board.HeldOutFraction,
            Seed = board.Seed,
            Metric = change.Metric ?? board.Metric,
            TargetSpecificity = change.TargetSpecificity ?? board.TargetSpecificity,
            DailySubmissionLimit = change.DailySubmissionLimit ?? board.DailySubmissionLimit,
        };
        var problems = settings.Validate().ToList();
        if (problems.Count > 0) throw Refusal.Invalid(string.Join(" ", problems));
        var rescore = settings.Metric != board.Metric
                      || (settings.Metric == LeaderboardMetric.SensitivityAtSpecificity && settings.TargetSpecificity != board.TargetSpecificity);
        board.Title = settings.Title.Trim();
        board.Metric = settings.Metric;
        board.TargetSpecificity = settings.TargetSpecificity;
        board.DailySubmissionLimit = settings.DailySubmissionLimit;
        if (rescore) await RescoreAsync(db, board, ct);
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, ct);
    }

    /// <summary>A frozen leaderboard takes no more submissions.</summary>
    public Task<LeaderboardView> SetFrozenAsync(int id, bool frozen, CancellationToken ct = default) =>
        ChangeAsync(id, frozen ? "freeze it" : "unfreeze it", b => b.Frozen = frozen, ct);

    /// <summary>Students see the private ranking once it is revealed.</summary>
    public Task<LeaderboardView> SetPrivateRevealedAsync(int id, bool revealed, CancellationToken ct = default) =>
        ChangeAsync(id, "reveal its private ranking", b => b.PrivateRevealed = revealed, ct);

    /// <summary>
    /// A student of the class submits one of their finished runs; it is scored on both halves here. Each submission
    /// takes one of the day's numbered slots (a unique index), so the daily limit holds when two nodes take two
    /// submissions at the same moment.
    /// </summary>
    public async Task<SubmissionReceipt> SubmitAsync(int id, int runId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var (board, role) = await LoadAsync(db, viewer, id, ct);
            if (role != Role.Student)
                throw Refusal.Forbidden($"Only students of {board.Course?.Name} submit to its leaderboard.");
            if (board.Course?.ArchivedAt is not null)
                throw Refusal.Conflict($"{board.Course.Name} is archived: its leaderboards take no more submissions.");
            if (board.Frozen)
                throw Refusal.Conflict($"{board.Title} is frozen: the instructor has closed submissions.");
            var now = DateTimeOffset.UtcNow;
            var day = now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var earlier = await db.LeaderboardSubmissions.Where(s => s.LeaderboardId == id && s.UserId == viewer.Id).Select(s => new { s.SubmittedAt, s.Day, s.Slot }).ToListAsync(ct);
            var taken = earlier.Where(s => s.Day == day).Select(s => s.Slot).ToHashSet();
            var slot = Enumerable.Range(1, board.DailySubmissionLimit).FirstOrDefault(s => !taken.Contains(s));
            if (slot == 0 || LeaderboardScoring.RemainingToday(earlier.Select(s => s.SubmittedAt), board.DailySubmissionLimit, now) == 0)
            {
                var resets = NextUtcMidnight(now);
                throw Refusal.TooMany(
                    $"You have used all {board.DailySubmissionLimit} submissions for today. The limit resets at midnight UTC ({resets:yyyy-MM-dd HH:mm} UTC, in {Format.Duration(resets - now)}).");
            }
            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
            // Another student's run gets the same answer as a run that does not exist.
            if (run is null || run.OwnerId != viewer.Id)
                throw Refusal.Forbidden($"Run {runId} is not yours: you can only submit your own runs.");
            if (run.Status != RunStatus.Succeeded)
                throw Refusal.Invalid($"Run '{run.Name}' is {run.Status.ToString().ToLowerInvariant()}; only runs that finished training (Succeeded) can be submitted.");

            var (publicScore, privateScore) = Score(board, await ImagesAsync(board, ct), run);
            var submission = new LeaderboardSubmission
            {
                LeaderboardId = board.Id, RunId = run.Id, UserId = viewer.Id, SubmittedAt = now, Day = day, Slot = slot,
                PublicScore = publicScore, PrivateScore = privateScore, Preset = run.Preset, Parameters = run.Parameters,
            };
            db.LeaderboardSubmissions.Add(submission);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                continue; // another submission took this slot at the same moment: count again
            }
            log.LogInformation("{User} submitted run {RunId} to leaderboard {Id}: public {Public:0.0000}", viewer.Name, run.Id, board.Id, publicScore);
            var view = await GetAsync(id, ct);
            return new SubmissionReceipt(submission.Id, run.Id, publicScore, view.PrivateRevealed ? privateScore : null, view.MyRank,
                view.RemainingToday ?? 0, view.ResetsAt);
        }
    }

    async Task<LeaderboardView> ChangeAsync(int id, string what, Action<Leaderboard> change, CancellationToken ct)
    {
        var viewer = await currentUser.GetAsync();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (board, role) = await LoadAsync(db, viewer, id, ct, tracked: true);
            RequireInstructor(role, what);
            change(board);
            await db.SaveChangesAsync(ct);
            log.LogInformation("{User}: leaderboard {Id} frozen {Frozen}, private revealed {Revealed}", viewer.Name, id, board.Frozen, board.PrivateRevealed);
        }
        return await GetAsync(id, ct);
    }

    static void RequireInstructor(Role role, string what)
    {
        if (role != Role.Instructor) throw Refusal.Forbidden($"Only an instructor of the class can {what}.");
    }

    /// <summary>The board and the viewer's role in its class; a board of a class the viewer is not in does not exist for them.</summary>
    static async Task<(Leaderboard Board, Role Role)> LoadAsync(PortalDbContext db, Viewer viewer, int id, CancellationToken ct, bool tracked = false)
    {
        var query = db.Leaderboards.Include(l => l.Course).Where(l => l.Id == id);
        var board = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(ct);
        if (board is null) throw Missing(id);
        if (viewer.IsAdmin) return (board, Role.Instructor);
        var member = await db.CourseMembers.AsNoTracking().FirstOrDefaultAsync(m => m.CourseId == board.CourseId && m.UserId == viewer.Id, ct);
        return member switch
        {
            null => throw Missing(id),
            { Role: CourseRole.Instructor } => (board, Role.Instructor),
            _ => (board, Role.Student),
        };
    }

    async Task RescoreAsync(PortalDbContext db, Leaderboard board, CancellationToken ct)
    {
        var submissions = await db.LeaderboardSubmissions.Include(s => s.Run).Where(s => s.LeaderboardId == board.Id).ToListAsync(ct);
        var images = await ImagesAsync(board, ct);
        foreach (var submission in submissions)
        {
            try
            {
                (submission.PublicScore, submission.PrivateScore) = Score(board, images, submission.Run!);
            }
            catch (Refusal e)
            {
                // The run's files are gone: its old score stays, under the old metric.
                log.LogWarning("Submission {Id} of leaderboard {Board} could not be rescored: {Why}", submission.Id, board.Id, e.Message);
            }
        }
        log.LogInformation("Leaderboard {Id} rescored {Count} submissions by {Metric}", board.Id, submissions.Count, board.Metric);
    }

    /// <summary>
    /// Scores a run on both halves (<paramref name="images"/>, the board's as <see cref="ImagesAsync"/> read them) from
    /// its predictions.csv: no inference, and only the two numbers come out.
    /// </summary>
    (double Public, double Private) Score(Leaderboard board, LeaderboardImages? images, TrainingRun run)
    {
        if (run.DatasetId != board.DatasetId)
            throw Refusal.Invalid($"Run '{run.Name}' was trained on another data set (number {run.DatasetId}); {board.Title} scores runs trained on data set number {board.DatasetId}. Train a run on it and submit that.");
        var folder = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder));
        if (string.IsNullOrEmpty(run.Folder) || !File.Exists(folder.RunJson) || !File.Exists(folder.Predictions))
            throw Refusal.Invalid($"Run '{run.Name}' has no test predictions saved, so it cannot be scored.");
        var threshold = folder.ReadRecord().Test?.Threshold.Threshold
                        ?? throw Refusal.Invalid($"Run '{run.Name}' has no test evaluation, so it cannot be scored.");
        if (images is null) throw Refusal.Invalid($"The data set of {board.Title} can no longer be read, so runs cannot be scored.");
        var probabilities = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var row in folder.ReadPredictions())
            if (row.Split == "test") probabilities[row.RelativePath] = row.Probability;

        double ScoreOn(IReadOnlyList<ImageRecord> half)
        {
            var missing = half.Count(i => !probabilities.ContainsKey(i.RelativePath));
            if (missing > 0)
                throw Refusal.Invalid($"Run '{run.Name}' has no prediction for {missing} of the leaderboard's images; it was trained on another version of the data set.");
            return LeaderboardScoring.Score(board.Metric, half.Select(i => (int)i.Label).ToArray(),
                half.Select(i => probabilities[i.RelativePath]).ToArray(), threshold, board.TargetSpecificity);
        }
        return (ScoreOn(images.Public), ScoreOn(images.Private));
    }

    /// <summary>The board's halves as stored when it was made; null for a board whose images were never stored.</summary>
    async Task<LeaderboardImages?> ImagesAsync(Leaderboard board, CancellationToken ct)
    {
        var images = await heldOut.ImagesOfAsync(board.Id, ct);
        return images.All.Any() ? images : null;
    }

    sealed record SubmissionRow(int Id, int RunId, string RunName, string UserId, string Student, DateTimeOffset SubmittedAt,
        double PublicScore, double PrivateScore, string Preset, long Parameters);

    static List<LeaderboardEntry> Rank(List<(SubmissionRow Best, int Count)> chosen, Func<SubmissionRow, double> score, Viewer viewer, bool manages)
    {
        var ordered = chosen.OrderByDescending(c => score(c.Best)).ThenBy(c => c.Best.SubmittedAt).ToList();
        // Equal scores share a rank (1, 2, 2, 4).
        return ordered.Select(c => new LeaderboardEntry(
                1 + ordered.Count(o => score(o.Best) > score(c.Best)),
                c.Best.Student, c.Best.SubmittedAt, c.Best.Preset, c.Best.Parameters, score(c.Best),
                c.Best.UserId == viewer.Id, manages || c.Best.UserId == viewer.Id ? c.Best.RunId : null, c.Count))
            .ToList();
    }

    static DateTimeOffset NextUtcMidnight(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    static Refusal Missing(int id) => Refusal.NotFound($"Leaderboard {id} does not exist or is not one of your classes'.");
}
