using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Runs;

/// <summary>Starting, listing, cancelling and resuming runs for the signed-in user, with ownership checks.</summary>
public sealed class RunService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    DatasetService datasets,
    WorkingClasses workingClasses,
    IBackgroundJobClient jobs,
    JobStorage jobStorage,
    RunLifecycle lifecycle,
    RunNotifier notifier,
    IOptions<TrainingOptions> options,
    RateLimits rateLimits,
    RunCostEstimator costs,
    ILogger<RunService> log) : IRunLauncher
{
    public async Task<StartedRuns> StartAsync(StartRunRequest request, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsAuthenticated) throw Refusal.Invalid("Sign in to start a run.");
        var problems = request.Config.Validate().ToList();
        var name = (request.Name ?? "").Trim();
        if (name.Length is 0 or > 120) problems.Add("Give the run a name of 1 to 120 characters.");
        var seeds = request.Seeds;
        if (seeds is < 1 or > StartRunRequest.MaxSeeds)
            problems.Add($"Repeat a run with 2 to {StartRunRequest.MaxSeeds} seeds, or start it once (1); you asked for {seeds}.");
        else if ((long)request.Config.Training.Seed + seeds - 1 > int.MaxValue)
            problems.Add($"The seeds of a group count up from the run's seed; start from a seed below {int.MaxValue - seeds + 2}.");
        var limits = options.Value;
        if (request.Config.Training.Epochs > limits.MaxEpochsPerRun)
            problems.Add($"Runs may have at most {limits.MaxEpochsPerRun} epochs here; you asked for {request.Config.Training.Epochs}.");
        if (request.Config.Training.Device == "cuda" && !HasGpuWorker())
            problems.Add("No GPU worker is available on this portal; choose device auto or cpu.");
        if (problems.Count > 0) throw new Refusal(RefusalKind.Invalid, problems);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (request.CourseId is { } courseId && !viewer.IsAdmin && !await db.CourseMembers.AnyAsync(m => m.CourseId == courseId && m.UserId == viewer.Id, ct))
            throw Refusal.Invalid("You can only file runs under a class you are in.");
        var course = await ClassOfRunAsync(db, viewer, request.CourseId, ct);
        if (course is { ArchivedAt: not null }) throw Refusal.Invalid($"{course.Name} is archived: it takes no new runs.");
        // The run trains on its class's data set (the portal's default for someone in no class).
        var dataset = await datasets.GetAsync(await workingClasses.DatasetIdOfClassAsync(course?.Id, ct), ct);
        // Priced before anything is stored: a run over the portal's or its class's limits is never queued. A group's
        // runs count together against the class's weekly minutes.
        var cost = await costs.CheckAsync(request.Config, dataset, ct);
        var over = cost.Problems.Concat(await ClassProblemsAsync(db, viewer, course, request.Config, cost, ct, seeds)).ToList();
        if (over.Count > 0) throw new Refusal(RefusalKind.Invalid, [.. over.Select(p => p.Message)]);

        var active = await db.Runs.CountAsync(r => r.OwnerId == viewer.Id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), ct);
        if (!viewer.IsStaff && active + seeds > limits.MaxQueuedRunsPerStudent)
            throw Refusal.Invalid(seeds == 1
                ? $"You already have {active} runs queued or running (the limit is {limits.MaxQueuedRunsPerStudent}). Wait for one to finish or cancel one."
                : $"You have {active} runs queued or running and the limit is {limits.MaxQueuedRunsPerStudent}: {seeds} more do not fit. Wait for runs to finish, cancel some, or repeat with fewer seeds.");
        if (!viewer.IsStaff && course is not null) await ClassLimits.RefuseOverQueueLimitAsync(db, viewer.Id, course, ct, seeds);
        if (request.LabelVersion is { } asked && (asked < 0 || asked > dataset.LabelVersion))
            throw Refusal.Invalid($"Label version {asked} does not exist; this data set has versions 0 (as imported) to {dataset.LabelVersion}.");
        // Last of the checks: a start refused for any other reason takes nothing from the hourly limit.
        if (!viewer.IsStaff && rateLimits.TryTake(LimitedAction.StartRun, viewer.Id, currentUser.Address, seeds) is { } tooMany)
            throw Refusal.TooMany(tooMany);
        var courseOfRun = course?.Id;
        var preset = string.IsNullOrWhiteSpace(request.Preset) ? request.Config.Architecture.Name : request.Preset;
        TrainingRun NewRun(int? slot, RunConfig config, string runName, int? groupId) => new()
        {
            QuotaSlot = slot,
            OwnerId = viewer.Id,
            CourseId = courseOfRun,
            GroupId = groupId,
            Name = runName,
            Preset = preset,
            ConfigJson = JsonSerializer.Serialize(config, RunFolder.Json),
            DatasetId = dataset.Id,
            LabelVersion = request.LabelVersion ?? dataset.LabelVersion,
            Status = RunStatus.Queued,
            Queue = QueueFor(config.Training.Device),
            EpochsPlanned = config.Training.Epochs,
            QueuedAt = DateTimeOffset.UtcNow,
            EstimatedSeconds = cost.Estimate.TotalSeconds,
            Message = "Waiting in the queue",
        };
        List<TrainingRun> runs;
        SeedGroup? group;
        for (var attempt = 1; ; attempt++)
        {
            // The runs (and their group) and their folders, or nothing: the folders must be stored before a job can
            // start (a worker may pick a run up at once). A failure after this leaves queued runs without a job, which
            // RunWatchdog queues.
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                group = null;
                if (seeds > 1)
                {
                    group = new SeedGroup { Name = name, OwnerId = viewer.Id, CourseId = courseOfRun };
                    db.SeedGroups.Add(group);
                    await db.SaveChangesAsync(ct);
                }
                runs = [];
                for (var i = 0; i < seeds; i++)
                {
                    int? slot = null;
                    if (!viewer.IsStaff && (slot = await QuotaSlots.FreeAsync(db, viewer.Id, limits.MaxQueuedRunsPerStudent, null, ct)) is null)
                        throw Refusal.Invalid($"You already have {limits.MaxQueuedRunsPerStudent} runs queued or running (the limit is {limits.MaxQueuedRunsPerStudent}). Wait for one to finish or cancel one.");
                    var seed = request.Config.Training.Seed + i;
                    var run = group is null
                        ? NewRun(slot, request.Config, name, null)
                        : NewRun(slot, request.Config with { Training = request.Config.Training with { Seed = seed } }, MemberName(name, seed), group.Id);
                    db.Runs.Add(run);
                    await db.SaveChangesAsync(ct);
                    run.Folder = $"run-{run.Id:D6}";
                    await db.SaveChangesAsync(ct);
                    runs.Add(run);
                }
                await tx.CommitAsync(ct);
                break;
            }
            catch (DbUpdateException) when (!viewer.IsStaff && attempt < 5)
            {
                db.ChangeTracker.Clear(); // another start took a slot at the same moment: look again
            }
        }
        foreach (var run in runs)
            run.JobId = TrainingJob.Enqueue(jobs, run);
        await db.SaveChangesAsync(ct);
        log.LogInformation("{User} queued {Count} run(s) {RunIds} ({Preset}, {Epochs} epochs) on {Queue}{Group}", viewer.Name, runs.Count,
            string.Join(",", runs.Select(r => r.Id)), preset, request.Config.Training.Epochs, runs[0].Queue, group is null ? "" : $" as seed group {group.Id}");
        return new StartedRuns(runs[0].Id, group?.Id, [.. runs.Select(r => r.Id)]);
    }

    /// <summary>A member's name: the group's name and its seed, within the 120 characters a name may have.</summary>
    public static string MemberName(string groupName, int seed)
    {
        var suffix = $" · seed {seed}";
        var room = 120 - suffix.Length;
        if (groupName.Length <= room) return groupName + suffix;
        // Cut between characters as the reader sees them, never inside an emoji's surrogate pair.
        var info = new System.Globalization.StringInfo(groupName);
        var kept = new System.Text.StringBuilder();
        for (var i = 0; i < info.LengthInTextElements && kept.Length + info.SubstringByTextElements(i, 1).Length <= room; i++)
            kept.Append(info.SubstringByTextElements(i, 1));
        return kept.ToString().TrimEnd() + suffix;
    }

    public async Task<IReadOnlyList<RunListItem>> ListAsync(bool includeClassRuns = false, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = includeClassRuns ? db.Runs.VisibleTo(db, viewer) : db.Runs.Where(r => r.OwnerId == viewer.Id);
        var rows = await query
            .Select(r => new RunListItem(r.Id, r.Name, r.Owner!.DisplayName, r.Preset, r.Status, r.EpochsDone, r.EpochsPlanned,
                r.BestValAccuracy, r.BestValAuc, r.BestValLoss, r.BestEpoch, r.QueuedAt, r.StartedAt, r.FinishedAt, r.OwnerId == viewer.Id,
                r.GroupId, r.Group != null ? r.Group.Name : null))
            .ToListAsync(ct);
        return rows.OrderByDescending(r => r.QueuedAt).ToList();
    }

    /// <summary>The newest label version of the data set a new run of the viewer would train on.</summary>
    public async Task<int> NewestLabelVersionAsync(CancellationToken ct = default) =>
        (await workingClasses.DatasetOfAsync(await currentUser.GetAsync(), ct)).LabelVersion;

    /// <summary>The run's price and everything over the portal's or its class's limits, as the start would say it; null while its settings are invalid.</summary>
    public async Task<RunCostCheck?> EstimateAsync(RunConfig config, int seeds = 1, CancellationToken ct = default)
    {
        if (config.Validate().Count > 0) return null;
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await ClassOfRunAsync(db, viewer, null, ct);
        var cost = await costs.CheckAsync(config, await datasets.GetAsync(await workingClasses.DatasetIdOfClassAsync(course?.Id, ct), ct), ct);
        var problems = cost.Problems.Concat(await ClassProblemsAsync(db, viewer, course, config, cost, ct, Math.Clamp(seeds, 1, StartRunRequest.MaxSeeds))).ToList();
        if (course is { ArchivedAt: not null })
            problems.Add(new Core.Settings.SettingsProblem("", $"{course.Name} is archived: it takes no new runs."));
        return cost with { Problems = problems };
    }

    /// <summary>
    /// The class a run is filed under: the one asked for, else the class the person works in (<see cref="WorkingClasses"/>:
    /// chosen, else the first open one they joined; an archived one then refuses the run); null for someone in no class.
    /// </summary>
    async Task<Course?> ClassOfRunAsync(PortalDbContext db, Security.Viewer viewer, int? requested, CancellationToken ct)
    {
        var id = requested ?? (await workingClasses.OfAsync(viewer, ct)).CourseId;
        return id is null ? null : await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
    }

    /// <summary>A student's problems with the class's quotas (instructors and admins are not held to them).</summary>
    static async Task<IReadOnlyList<Core.Settings.SettingsProblem>> ClassProblemsAsync(PortalDbContext db, Security.Viewer viewer, Course? course,
        RunConfig config, RunCostCheck cost, CancellationToken ct, int seeds = 1) =>
        viewer.IsStaff || course is null ? [] : await ClassLimits.ProblemsAsync(db, viewer.Id, course, config, cost.Estimate.TotalSeconds * seeds, ct);

    /// <summary>The run with its history, or null when it does not exist or the viewer may not see it (same answer, so ids leak nothing).</summary>
    public async Task<RunDetail?> GetAsync(int runId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await RunAccess.CanViewAsync(db, viewer, runId, ct)) return null;
        var run = await db.Runs.AsNoTracking().Include(r => r.Owner).SingleAsync(r => r.Id == runId, ct);
        int? position = null;
        var runningAhead = 0;
        if (run.Status == RunStatus.Queued)
        {
            var queued = await db.Runs.Where(r => r.Queue == run.Queue && r.Status == RunStatus.Queued).Select(r => new { r.Id, r.QueuedAt }).ToListAsync(ct);
            position = queued.Count(r => r.QueuedAt < run.QueuedAt || (r.QueuedAt == run.QueuedAt && r.Id <= run.Id));
            runningAhead = await db.Runs.CountAsync(r => r.Queue == run.Queue && r.Status == RunStatus.Running, ct);
        }
        return new RunDetail(run, run.Owner?.DisplayName ?? "", await RunAccess.CanControlAsync(db, viewer, runId, ct), position, runningAhead,
            await RunHistory.ReadAsync(db, runId, ct));
    }

    /// <summary>Stops a queued or running run; a running one stops within one batch and keeps its finished epochs.</summary>
    public async Task CancelAsync(int runId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            if (!await RunAccess.CanControlAsync(db, viewer, runId, ct)) throw Refusal.Invalid("That run is not yours to cancel.");
        await lifecycle.CancelAsync(runId, ct);
    }

    /// <summary>
    /// Queues an interrupted, cancelled or failed run again; training continues after its last finished epoch. A
    /// student's resume counts as a run start (<see cref="LimitedAction.StartRun"/>): cancelling and resuming is no way
    /// around the hourly limit.
    /// </summary>
    public async Task ResumeAsync(int runId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await RunAccess.CanControlAsync(db, viewer, runId, ct)) throw Refusal.Invalid("That run is not yours to resume.");
        var run = await db.Runs.AsNoTracking().Include(r => r.Course).SingleAsync(r => r.Id == runId, ct);
        if (!RunLifecycle.MayGo(run.Status, RunStatus.Queued))
            throw Refusal.Invalid($"Only interrupted, cancelled or failed runs can be resumed; this one is {run.Status}.");
        if (run.Course is { ArchivedAt: not null } archived) throw Refusal.Invalid($"{archived.Name} is archived: its runs cannot be resumed.");
        // A resume is a start for the class's quotas too: the runs queued at once, and the minutes its remaining epochs take.
        if (!viewer.IsStaff && run.Course is { } course)
        {
            await ClassLimits.RefuseOverQueueLimitAsync(db, run.OwnerId, course, ct);
            var config = JsonSerializer.Deserialize<RunConfig>(run.ConfigJson, RunFolder.Json)!;
            var remaining = (run.EstimatedSeconds ?? 0) * Math.Max(0, run.EpochsPlanned - run.EpochsDone) / Math.Max(1, run.EpochsPlanned);
            if (await ClassLimits.ProblemsAsync(db, run.OwnerId, course, config, remaining, ct) is { Count: > 0 } over)
                throw new Refusal(RefusalKind.Invalid, [.. over.Select(p => p.Message)]);
        }
        var active = await db.Runs.CountAsync(r => r.OwnerId == run.OwnerId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), ct);
        if (!viewer.IsStaff && active >= options.Value.MaxQueuedRunsPerStudent)
            throw Refusal.Invalid($"You already have {active} runs queued or running (the limit is {options.Value.MaxQueuedRunsPerStudent}).");
        if (!viewer.IsStaff && rateLimits.TryTake(LimitedAction.StartRun, viewer.Id, currentUser.Address) is { } tooMany)
            throw Refusal.TooMany(tooMany);
        if (!await lifecycle.ResumeAsync(runId, ct))
            throw Refusal.Invalid($"You already have {options.Value.MaxQueuedRunsPerStudent} runs queued or running (the limit is {options.Value.MaxQueuedRunsPerStudent}).");
    }

    /// <summary>
    /// Shares the run with its class, or makes it private again. Only its owner shares; the owner, an instructor of the
    /// class or an admin may unshare. Refused (400, as every refusal of a run's control) otherwise.
    /// </summary>
    public async Task ShareAsync(int runId, bool shared, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await RunAccess.CanViewAsync(db, viewer, runId, ct)) throw Refusal.Invalid($"Run {runId} does not exist or is not yours to see.");
        var run = await db.Runs.SingleAsync(r => r.Id == runId, ct);
        var owner = run.OwnerId == viewer.Id;
        if (shared && !owner) throw Refusal.Invalid("Only the student who trained a run can share it with the class.");
        if (!shared && !owner && !await RunAccess.CanControlAsync(db, viewer, runId, ct)) throw Refusal.Invalid("Only the run's owner or an instructor of its class can make it private.");
        if (run.CourseId is null) throw Refusal.Invalid("This run is not filed under a class: join a class, then share the runs you start there.");
        if (run.SharedWithCourse == shared) return;
        run.SharedWithCourse = shared;
        await db.SaveChangesAsync(ct);
        notifier.Forget(runId);
        log.LogInformation("{User} {Action} run {RunId}", viewer.Name, shared ? "shared" : "unshared", runId);
    }

    /// <summary>The queue a run on this device setting goes to.</summary>
    public static string QueueFor(string device) => device switch
    {
        "cuda" => TrainingQueues.Gpu,
        "cpu" => TrainingQueues.Cpu,
        _ => TrainingQueues.Local,
    };

    bool HasGpuWorker() =>
        jobStorage.GetMonitoringApi().Servers().Any(s => s.Queues.Contains(TrainingQueues.Gpu));

}
