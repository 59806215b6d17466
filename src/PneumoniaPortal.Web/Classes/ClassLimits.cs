using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Classes;

/// <summary>
/// What a class's quotas allow a student (instructors and admins are not held to them): runs queued at once, epochs per
/// run, and training minutes in any seven days. A run's minutes are its training time once it has stopped, and its
/// estimate while it waits or trains. Asked by the run form's estimate and by the start itself.
/// </summary>
public static class ClassLimits
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    /// <summary>The minutes the student's runs in the class took (or, still going, are priced at) in the last seven days.</summary>
    public static async Task<double> MinutesUsedAsync(PortalDbContext db, string userId, int courseId, CancellationToken ct)
    {
        var since = DateTimeOffset.UtcNow - Window;
        var runs = await db.Runs.Where(r => r.OwnerId == userId && r.CourseId == courseId && r.QueuedAt >= since)
            .Select(r => new { r.Status, r.StartedAt, r.FinishedAt, r.EstimatedSeconds }).ToListAsync(ct);
        return runs.Sum(r => Minutes(r.Status, r.StartedAt, r.FinishedAt, r.EstimatedSeconds));
    }

    public static double Minutes(RunStatus status, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, double? estimatedSeconds) => status switch
    {
        RunStatus.Queued => (estimatedSeconds ?? 0) / 60,
        RunStatus.Running => Math.Max((estimatedSeconds ?? 0) / 60, startedAt is { } s ? (DateTimeOffset.UtcNow - s).TotalMinutes : 0),
        _ => startedAt is { } started && finishedAt is { } finished && finished > started ? (finished - started).TotalMinutes : 0,
    };

    /// <summary>
    /// Refuses a start or a resume when the student already has the class's limit of runs queued or running in it
    /// (nothing when the class sets no limit).
    /// </summary>
    public static async Task RefuseOverQueueLimitAsync(PortalDbContext db, string userId, Course course, CancellationToken ct, int adding = 1)
    {
        if (course.MaxQueuedRunsPerStudent is not { } limit) return;
        var active = await db.Runs.CountAsync(r => r.OwnerId == userId && r.CourseId == course.Id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), ct);
        if (active + adding > limit)
            throw Refusal.Invalid(adding == 1
                ? $"You already have {active} runs queued or running in {course.Name} (the class's limit is {limit}). Wait for one to finish or cancel one."
                : $"You have {active} runs queued or running in {course.Name} and the class's limit is {limit}: {adding} more do not fit. Wait for runs to finish, cancel some, or repeat with fewer seeds.");
    }

    /// <summary>What in a run of <paramref name="config"/>, priced at <paramref name="estimatedSeconds"/>, is over the class's quotas for this student.</summary>
    public static async Task<IReadOnlyList<SettingsProblem>> ProblemsAsync(PortalDbContext db, string userId, Course course, RunConfig config,
        double estimatedSeconds, CancellationToken ct)
    {
        var problems = new List<SettingsProblem>();
        var epochsField = $"{nameof(RunConfig.Training)}.{nameof(TrainingSettings.Epochs)}";
        if (course.MaxEpochsPerRun is { } epochs && config.Training.Epochs > epochs)
            problems.Add(new SettingsProblem(epochsField, $"Runs in {course.Name} may have at most {epochs} epochs; you asked for {config.Training.Epochs}."));
        if (course.MaxComputeMinutesPerWeek is { } weekly)
        {
            var used = await MinutesUsedAsync(db, userId, course.Id, ct);
            var asked = estimatedSeconds / 60;
            if (used + asked > weekly)
                problems.Add(new SettingsProblem(epochsField,
                    $"{course.Name} gives each student {weekly:0.#} training minutes in any seven days; your runs there used {used:0.#} " +
                    $"and this one would take about {asked:0.#}. Fewer epochs or a smaller network fit in the {Math.Max(0, weekly - used):0.#} left."));
        }
        return problems;
    }
}
