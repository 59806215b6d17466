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
    LeaderboardUncertainty uncertainty,
    PortalPaths paths,
    ILogger<LeaderboardService> log)
{
    /// <summary>How many submissions a student may choose for the private ranking, as on Kaggle.</summary>
    public const int MaxFinals = 2;

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
            .Select(s => new SubmissionRow(s.Id, s.RunId, s.Group != null ? s.Group.Name : s.Run!.Name, s.UserId, s.User!.DisplayName, s.SubmittedAt,
                s.PublicScore, s.PrivateScore, s.Preset, s.Parameters, s.GroupId, s.IsFinal))
            .ToListAsync(ct);
        var manages = role == Role.Instructor;
        var seesPrivate = manages || board.PrivateRevealed;

        var byStudent = submissions.GroupBy(s => s.UserId).ToList();
        var chosen = byStudent.Select(g => (Best: g.OrderByDescending(s => s.PublicScore).ThenBy(s => s.SubmittedAt).First(), Count: g.Count())).ToList();
        // The halves are read for everyone, but only the instructor is told their sizes (below); the public half's labels
        // stay here, in the intervals of the public scores.
        var images = await ImagesAsync(board, ct);
        var publicRanking = await uncertainty.AddAsync(board, Rank(chosen, s => s.PublicScore, viewer, manages),
            OrderedBy(chosen, s => s.PublicScore).Select(c => c.Best.Id).ToList(), images, submission => PublicProbabilitiesAsync(board, images!, submission, ct));
        // Not computed at all for a student before the reveal: nothing to leak. Each student is ranked by the best
        // private score among their final choices, or among their two best public submissions when they chose none.
        var privateRanking = seesPrivate
            ? Rank(byStudent.Select(g => (Best: FinalsOf(g).OrderByDescending(s => s.PrivateScore).ThenBy(s => s.SubmittedAt).First(), Count: g.Count())).ToList(),
                s => s.PrivateScore, viewer, manages)
            : null;

        var mine = submissions.Where(s => s.UserId == viewer.Id).OrderByDescending(s => s.SubmittedAt)
            .Select(s => new MySubmission(s.Id, s.RunId, s.RunName, s.SubmittedAt, s.PublicScore, seesPrivate ? s.PrivateScore : null, s.GroupId, s.IsFinal))
            .ToList();
        var now = DateTimeOffset.UtcNow;
        int? remaining = role == Role.Student
            ? LeaderboardScoring.RemainingToday(mine.Select(s => s.SubmittedAt), board.DailySubmissionLimit, now)
            : null;

        // How many images are held back, and what share of the test split, are the instructor's: with the visible counts
        // per class they would tell a student how many of each class are hidden.
        var counts = manages ? images : null;
        return new LeaderboardView(board.Id, board.CourseId, board.Course?.Name ?? "", board.Title, board.DatasetId, board.Metric,
            LeaderboardScoring.Describe(board.Metric, board.TargetSpecificity), board.TargetSpecificity, manages ? board.HeldOutFraction : null,
            manages ? board.Seed : null, counts?.Public.Count, counts?.Private.Count, board.DailySubmissionLimit,
            board.Frozen || board.Course?.ArchivedAt is not null, board.PrivateRevealed, manages, role == Role.Student,
            publicRanking, privateRanking, mine, publicRanking.FirstOrDefault(e => e.IsMine)?.Rank, remaining, NextUtcMidnight(now));
    }

    /// <summary>
    /// What the viewer could submit: their own finished runs trained on the leaderboard's data set, and their seed
    /// groups whose runs all finished on it (first, newest first).
    /// </summary>
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
        var groups = await db.SeedGroups.AsNoTracking()
            .Where(g => g.OwnerId == viewer.Id && g.Runs.Count >= 2 && g.Runs.All(r => r.Status == RunStatus.Succeeded && r.DatasetId == board.DatasetId))
            .Select(g => new { g.Id, g.Name, Runs = g.Runs.OrderBy(r => r.Id).Select(r => new { r.Id, r.Preset, r.Parameters, r.FinishedAt }).ToList() })
            .ToListAsync(ct);
        var eligibleGroups = groups.Select(g => new EligibleRun(g.Runs[0].Id, g.Name, g.Runs[0].Preset, g.Runs[0].Parameters, g.Runs.Max(r => r.FinishedAt), g.Id, g.Runs.Count));
        return [.. eligibleGroups.OrderByDescending(r => r.FinishedAt), .. runs.OrderByDescending(r => r.FinishedAt)];
    }

    /// <summary>
    /// A student chooses up to <see cref="MaxFinals"/> of their submissions for the private ranking (the others stop
    /// counting there); an empty choice goes back to the default, their two best public submissions. Open until the
    /// private ranking is revealed.
    /// </summary>
    public async Task<LeaderboardView> ChooseFinalsAsync(int id, IReadOnlyList<int> submissionIds, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (board, role) = await LoadAsync(db, viewer, id, ct);
            if (role != Role.Student) throw Refusal.Forbidden($"Only students of {board.Course?.Name} choose final submissions.");
            if (board.PrivateRevealed || board.FinalsClosedAt is not null)
                throw Refusal.Conflict($"The private ranking of {board.Title} has been revealed: the final choices are closed.");
            var wanted = (submissionIds ?? []).Distinct().ToList();
            if (wanted.Count > MaxFinals) throw Refusal.Invalid($"Choose at most {MaxFinals} final submissions; you chose {wanted.Count}.");
            var mine = await db.LeaderboardSubmissions.Where(s => s.LeaderboardId == id && s.UserId == viewer.Id).Select(s => s.Id).ToListAsync(ct);
            if (wanted.Except(mine).ToList() is [var other, ..])
                throw Refusal.Invalid($"Submission {other} is not one of yours on {board.Title}.");
            // One statement: two choices sent at once leave one of them, never a mix of both.
            await db.LeaderboardSubmissions.Where(s => s.LeaderboardId == id && s.UserId == viewer.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.IsFinal, s => wanted.Contains(s.Id)), ct);
            log.LogInformation("{User} chose final submissions {Ids} on leaderboard {Id}", viewer.Name, string.Join(",", wanted), id);
        }
        return await GetAsync(id, ct);
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
        ChangeAsync(id, "reveal its private ranking", b =>
        {
            b.PrivateRevealed = revealed;
            if (revealed) b.FinalsClosedAt ??= DateTimeOffset.UtcNow;
        }, ct);

    /// <summary>
    /// A student of the class submits one of their finished runs; it is scored on both halves here. Each submission
    /// takes one of the day's numbered slots (a unique index), so the daily limit holds when two nodes take two
    /// submissions at the same moment.
    /// </summary>
    public async Task<SubmissionReceipt> SubmitAsync(int id, int runId, CancellationToken ct = default, int? groupId = null)
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
            var runs = await SubmittedRunsAsync(db, viewer, runId, groupId, ct);
            var run = runs[0];
            var (publicScore, privateScore) = Score(board, await ImagesAsync(board, ct), runs);
            var submission = new LeaderboardSubmission
            {
                LeaderboardId = board.Id, RunId = run.Id, GroupId = groupId, UserId = viewer.Id, SubmittedAt = now, Day = day, Slot = slot,
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

    /// <summary>The run to submit, or every run of the seed group (in id order), after checking they are the viewer's and finished.</summary>
    static async Task<IReadOnlyList<TrainingRun>> SubmittedRunsAsync(PortalDbContext db, Viewer viewer, int runId, int? groupId, CancellationToken ct)
    {
        if (groupId is { } g)
        {
            var members = await db.Runs.AsNoTracking().Where(r => r.GroupId == g).OrderBy(r => r.Id).ToListAsync(ct);
            // Another student's group gets the same answer as a group that does not exist.
            if (members.Count == 0 || members.Any(r => r.OwnerId != viewer.Id))
                throw Refusal.Forbidden($"Seed group {g} is not yours: you can only submit your own runs.");
            if (members.Count < 2 || members.Any(r => r.Status != RunStatus.Succeeded))
                throw Refusal.Invalid($"{members.Count(r => r.Status == RunStatus.Succeeded)} of the {members.Count} runs of seed group {g} finished training; a group is submitted once all its runs have (or submit its finished runs one by one).");
            return members;
        }
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        // Another student's run gets the same answer as a run that does not exist.
        if (run is null || run.OwnerId != viewer.Id)
            throw Refusal.Forbidden($"Run {runId} is not yours: you can only submit your own runs.");
        if (run.Status != RunStatus.Succeeded)
            throw Refusal.Invalid($"Run '{run.Name}' is {run.Status.ToString().ToLowerInvariant()}; only runs that finished training (Succeeded) can be submitted.");
        return [run];
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
                (submission.PublicScore, submission.PrivateScore) = Score(board, images, await RunsOfAsync(db, submission, ct));
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
    /// Scores a run, or a seed group's runs as one, on both halves (<paramref name="images"/>, the board's as
    /// <see cref="ImagesAsync"/> read them) from their predictions.csv: no inference, and only the two numbers come out.
    /// </summary>
    (double Public, double Private) Score(Leaderboard board, LeaderboardImages? images, IReadOnlyList<TrainingRun> runs)
    {
        var (probabilities, threshold) = Predictions(board, images, runs);
        double ScoreOn(IReadOnlyList<ImageRecord> half) => LeaderboardScoring.Score(board.Metric, half.Select(i => (int)i.Label).ToArray(),
            half.Select(i => probabilities[i.RelativePath]).ToArray(), threshold, board.TargetSpecificity);
        return (ScoreOn(images!.Public), ScoreOn(images.Private));
    }

    /// <summary>
    /// The test probabilities a submission is scored on, by path, and its threshold: a run's own; for a seed group the
    /// mean of its runs' probabilities at the mean of their thresholds (each chosen on that run's validation split;
    /// the runs' validation splits differ, so no common one exists to choose a new threshold on). Refused when a run
    /// lacks a prediction for an image of the board.
    /// </summary>
    internal (Dictionary<string, float> Probabilities, double Threshold) Predictions(Leaderboard board, LeaderboardImages? images, IReadOnlyList<TrainingRun> runs)
    {
        if (images is null) throw Refusal.Invalid($"The data set of {board.Title} can no longer be read, so runs cannot be scored.");
        if (runs.Count == 0) throw Refusal.Invalid("This submission's runs are gone, so it cannot be scored.");
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var thresholds = 0.0;
        foreach (var run in runs)
        {
            if (run.DatasetId != board.DatasetId)
                throw Refusal.Invalid($"Run '{run.Name}' was trained on another data set (number {run.DatasetId}); {board.Title} scores runs trained on data set number {board.DatasetId}. Train a run on it and submit that.");
            var folder = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder));
            if (string.IsNullOrEmpty(run.Folder) || !File.Exists(folder.RunJson) || !File.Exists(folder.Predictions))
                throw Refusal.Invalid($"Run '{run.Name}' has no test predictions saved, so it cannot be scored.");
            thresholds += folder.ReadRecord().Test?.Threshold.Threshold
                          ?? throw Refusal.Invalid($"Run '{run.Name}' has no test evaluation, so it cannot be scored.");
            var own = new Dictionary<string, float>(StringComparer.Ordinal);
            foreach (var row in folder.ReadPredictions())
                if (row.Split == "test") own[row.RelativePath] = row.Probability;
            var missing = images.All.Count(i => !own.ContainsKey(i.RelativePath));
            if (missing > 0)
                throw Refusal.Invalid($"Run '{run.Name}' has no prediction for {missing} of the leaderboard's images; it was trained on another version of the data set.");
            foreach (var image in images.All)
                sums[image.RelativePath] = sums.GetValueOrDefault(image.RelativePath) + own[image.RelativePath];
        }
        return (sums.ToDictionary(p => p.Key, p => (float)(p.Value / runs.Count), StringComparer.Ordinal), thresholds / runs.Count);
    }

    /// <summary>A submission's run, or its seed group's runs in id order.</summary>
    static async Task<IReadOnlyList<TrainingRun>> RunsOfAsync(PortalDbContext db, LeaderboardSubmission submission, CancellationToken ct) =>
        submission.GroupId is { } g
            ? await db.Runs.AsNoTracking().Where(r => r.GroupId == g).OrderBy(r => r.Id).ToListAsync(ct)
            : [submission.Run ?? await db.Runs.AsNoTracking().SingleAsync(r => r.Id == submission.RunId, ct)];

    /// <summary>A submission's probabilities on the public half, in its order, and its threshold; null when its runs' files are gone.</summary>
    async Task<(float[] Public, double Threshold)?> PublicProbabilitiesAsync(Leaderboard board, LeaderboardImages images, int submissionId, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var submission = await db.LeaderboardSubmissions.AsNoTracking().SingleAsync(s => s.Id == submissionId, ct);
            var (probabilities, threshold) = Predictions(board, images, await RunsOfAsync(db, submission, ct));
            return (images.Public.Select(i => probabilities[i.RelativePath]).ToArray(), threshold);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A missing, unreadable or odd file takes the intervals of this entry only, never the page.
            log.LogWarning("Submission {Id} of leaderboard {Board} has no interval: {Why}", submissionId, board.Id, e.Message);
            return null;
        }
    }

    /// <summary>The board's halves as stored when it was made; null for a board whose images were never stored.</summary>
    async Task<LeaderboardImages?> ImagesAsync(Leaderboard board, CancellationToken ct)
    {
        var images = await heldOut.ImagesOfAsync(board.Id, ct);
        return images.All.Any() ? images : null;
    }

    /// <summary>
    /// Each student's standing on one board for the class view: the rank and score of their best public submission,
    /// and with <paramref name="includePrivate"/> (an instructor, or a revealed board) the private ranking's, by the
    /// same rules as <see cref="GetAsync"/>. Access is the caller's to check.
    /// </summary>
    internal static async Task<IReadOnlyDictionary<string, LeaderboardStanding>> StandingsAsync(PortalDbContext db, int boardId, bool includePrivate, CancellationToken ct)
    {
        var submissions = await db.LeaderboardSubmissions.AsNoTracking().Where(s => s.LeaderboardId == boardId)
            .Select(s => new SubmissionRow(s.Id, s.RunId, "", s.UserId, "", s.SubmittedAt, s.PublicScore, s.PrivateScore, s.Preset, s.Parameters, s.GroupId, s.IsFinal))
            .ToListAsync(ct);
        var byStudent = submissions.GroupBy(s => s.UserId).ToList();
        var publicBest = byStudent.ToDictionary(g => g.Key, g => g.Max(s => s.PublicScore));
        var privateBest = includePrivate ? byStudent.ToDictionary(g => g.Key, g => FinalsOf(g).Max(s => s.PrivateScore)) : null;
        // Equal scores share a rank (1, 2, 2, 4), as on the board.
        return byStudent.ToDictionary(g => g.Key, g => new LeaderboardStanding(
            1 + publicBest.Values.Count(v => v > publicBest[g.Key]), publicBest[g.Key],
            privateBest is null ? null : 1 + privateBest.Values.Count(v => v > privateBest[g.Key]), privateBest?[g.Key], byStudent.Count));
    }

    sealed record SubmissionRow(int Id, int RunId, string RunName, string UserId, string Student, DateTimeOffset SubmittedAt,
        double PublicScore, double PrivateScore, string Preset, long Parameters, int? GroupId, bool IsFinal);

    /// <summary>A student's submissions that count in the private ranking: their final choices, else their two best public ones.</summary>
    static IEnumerable<SubmissionRow> FinalsOf(IEnumerable<SubmissionRow> theirs)
    {
        var all = theirs.ToList();
        var finals = all.Where(s => s.IsFinal).ToList();
        return finals.Count > 0 ? finals : all.OrderByDescending(s => s.PublicScore).ThenBy(s => s.SubmittedAt).Take(MaxFinals);
    }

    static List<(SubmissionRow Best, int Count)> OrderedBy(List<(SubmissionRow Best, int Count)> chosen, Func<SubmissionRow, double> score) =>
        chosen.OrderByDescending(c => score(c.Best)).ThenBy(c => c.Best.SubmittedAt).ToList();

    static List<LeaderboardEntry> Rank(List<(SubmissionRow Best, int Count)> chosen, Func<SubmissionRow, double> score, Viewer viewer, bool manages)
    {
        var ordered = OrderedBy(chosen, score);
        // Equal scores share a rank (1, 2, 2, 4).
        return ordered.Select(c =>
            {
                var shown = manages || c.Best.UserId == viewer.Id;
                return new LeaderboardEntry(
                    1 + ordered.Count(o => score(o.Best) > score(c.Best)),
                    c.Best.Student, c.Best.SubmittedAt, c.Best.Preset, c.Best.Parameters, score(c.Best),
                    c.Best.UserId == viewer.Id, shown ? c.Best.RunId : null, c.Count, shown ? c.Best.GroupId : null);
            })
            .ToList();
    }

    static DateTimeOffset NextUtcMidnight(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    static Refusal Missing(int id) => Refusal.NotFound($"Leaderboard {id} does not exist or is not one of your classes'.");
}
