using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Results;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Groups;

/// <summary>
/// Seed groups (issue 16): runs of one setting started together with different seeds, shown as mean ± SD. A viewer
/// sees a group when they may see every one of its runs (<see cref="RunAccess"/>): a classmate sees it once all its
/// runs are shared, so a mean is never taken over a part of a group.
/// </summary>
public sealed class SeedGroupService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    RunService runs,
    RunResultsService results)
{
    public const int MinGroups = 2, MaxGroups = 4;

    /// <summary>The group with its figures, or null when it does not exist or the viewer may not see all of it (same answer, so ids leak nothing).</summary>
    public async Task<SeedGroupView?> GetAsync(int groupId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.SeedGroups.AsNoTracking().Include(g => g.Owner).SingleOrDefaultAsync(g => g.Id == groupId, ct);
        if (group is null) return null;
        var members = await db.Runs.AsNoTracking().Where(r => r.GroupId == groupId).OrderBy(r => r.Id).ToListAsync(ct);
        var visible = await db.Runs.Where(r => r.GroupId == groupId).VisibleTo(db, viewer).CountAsync(ct);
        if (members.Count == 0 || visible != members.Count) return null;

        var canControl = await RunAccess.CanControlAsync(db, viewer, members[0].Id, ct);
        var rows = members.Select(r => new RunListItem(r.Id, r.Name, group.Owner?.DisplayName ?? "", r.Preset, r.Status, r.EpochsDone, r.EpochsPlanned,
            r.BestValAccuracy, r.BestValAuc, r.BestValLoss, r.BestEpoch, r.QueuedAt, r.StartedAt, r.FinishedAt, r.OwnerId == viewer.Id, group.Id, group.Name)).ToList();

        // Each finished run's test figures at its own threshold (chosen on its validation split), from what the viewer may see of its results.
        var evaluations = new List<BinaryEvaluation?>();
        foreach (var run in members)
            evaluations.Add(run.Status == RunStatus.Succeeded && await results.LoadAsync(run.Id, ct) is { } r && r.Labels.Distinct().Count() == 2
                ? r.EvaluateAt(r.Threshold) : null);
        var histories = new List<IReadOnlyList<LiveEpoch>>();
        foreach (var run in members) histories.Add(await RunHistory.ReadAsync(db, run.Id, ct));

        GroupFigure Figure(string key, string name, string kind, string split, Func<int, double?> value)
        {
            var values = Enumerable.Range(0, members.Count).Select(i => members[i].Status == RunStatus.Succeeded ? value(i) : null).ToList();
            return new GroupFigure(key, name, kind, split, SeedSpread.Of(values), values);
        }
        IReadOnlyList<GroupFigure> figures =
        [
            Figure("accuracy", "Test accuracy", "percent", "test", i => evaluations[i]?.Accuracy),
            Figure("auc", "Test AUC", "number", "test", i => evaluations[i] is { AucDefined: true } e ? e.Auc : null),
            Figure("sensitivity", "Sensitivity (recall of PNEUMONIA)", "percent", "test", i => evaluations[i]?.Sensitivity),
            Figure("specificity", "Specificity (recall of NORMAL)", "percent", "test", i => evaluations[i]?.Specificity),
            Figure("precision", "Precision", "percent", "test", i => evaluations[i]?.Precision),
            Figure("f1", "F1", "number", "test", i => evaluations[i]?.F1),
            Figure("valAccuracy", "Best validation accuracy", "percent", "validation", i => members[i].BestValAccuracy),
            Figure("valAuc", "Best validation AUC", "number", "validation", i => members[i].BestValAuc),
            Figure("valLoss", "Best validation loss", "number", "validation", i => members[i].BestValLoss),
            Figure("minutes", "Training time (minutes)", "number", "training", i =>
                members[i] is { StartedAt: { } s, FinishedAt: { } f } ? (f - s).TotalMinutes : null),
        ];
        IReadOnlyList<GroupCurve> curves =
        [
            Curve("loss", "Validation loss", histories, e => e.Validation.Loss),
            Curve("accuracy", "Validation accuracy", histories, e => e.Validation.Accuracy),
            Curve("auc", "Validation AUC", histories, e => e.Validation.Auc),
            Curve("trainLoss", "Training loss", histories, e => e.Train.Loss),
        ];
        return new SeedGroupView(group.Id, group.Name, group.Owner?.DisplayName ?? "", group.OwnerId == viewer.Id, canControl,
            members.All(r => r.SharedWithCourse), group.CourseId, members[0].DatasetId, rows,
            members.Count(r => r.Status == RunStatus.Succeeded), figures, curves);
    }

    static GroupCurve Curve(string metric, string title, IReadOnlyList<IReadOnlyList<LiveEpoch>> histories, Func<LiveEpoch, double?> value)
    {
        var epochs = histories.SelectMany(h => h.Select(e => e.Epoch)).Distinct().Order();
        var points = new List<GroupCurvePoint>();
        foreach (var epoch in epochs)
        {
            var spread = SeedSpread.Of(histories.Select(h => h.FirstOrDefault(e => e.Epoch == epoch) is { } e ? value(e) : null));
            if (spread is null) continue;
            var sd = spread.Count >= 2 ? spread.StandardDeviation : 0;
            points.Add(new GroupCurvePoint(epoch, spread.Mean, spread.Mean - sd, spread.Mean + sd, spread.Count));
        }
        return new GroupCurve(metric, title, points);
    }

    /// <summary>Shares every run of the group with the class, or makes them all private again (each run checked as <see cref="RunService.ShareAsync"/> does).</summary>
    public async Task ShareAsync(int groupId, bool shared, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        List<int> members;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            members = await db.Runs.Where(r => r.GroupId == groupId).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
            if (members.Count == 0 || await db.Runs.Where(r => r.GroupId == groupId).VisibleTo(db, viewer).CountAsync(ct) != members.Count)
                throw Refusal.Invalid($"Seed group {groupId} does not exist or is not yours to see.");
        }
        foreach (var id in members) await runs.ShareAsync(id, shared, ct);
    }

    /// <summary>
    /// 2 to 4 groups side by side: each figure as mean ± SD, and every pair's test AUC and accuracy compared with
    /// Welch's t-test over their runs. A group the viewer may not see is named in a problem and left out.
    /// </summary>
    public async Task<SeedGroupComparisonView> CompareAsync(IReadOnlyList<int> ids, CancellationToken ct = default)
    {
        var problems = new List<string>();
        if (ids.Count > MaxGroups)
        {
            problems.Add($"Compare at most {MaxGroups} seed groups at a time; the first {MaxGroups} are shown.");
            ids = ids.Take(MaxGroups).ToList();
        }
        var groups = new List<SeedGroupView>();
        foreach (var id in ids)
            if (await GetAsync(id, ct) is { } g) groups.Add(g);
            else problems.Add($"Seed group {id} does not exist, or some of its runs are private: it is left out.");
        var pairs = new List<SeedGroupPair>();
        for (var a = 0; a < groups.Count; a++)
            for (var b = a + 1; b < groups.Count; b++)
                foreach (var (key, figure) in new[] { ("auc", "test AUC"), ("accuracy", "test accuracy") })
                {
                    var va = Values(groups[a], key);
                    var vb = Values(groups[b], key);
                    if (va.Count == 0 || vb.Count == 0) continue;
                    var comparison = SeedGroupComparison.Compute(va, vb);
                    pairs.Add(new SeedGroupPair(groups[a].Id, groups[b].Id, key, comparison,
                        comparison.Sentence(figure, Label(groups[a]), Label(groups[b])), groups[a].DatasetId == groups[b].DatasetId));
                }
        return new SeedGroupComparisonView(groups, pairs, problems);
    }

    static List<double> Values(SeedGroupView group, string key) =>
        group.Figure(key)?.PerRun.Where(v => v is { } d && double.IsFinite(d)).Select(v => v!.Value).ToList() ?? [];

    /// <summary>"group 3 'baseline' (Ada)" for sentences and headers.</summary>
    public static string Label(SeedGroupView group) =>
        string.IsNullOrEmpty(group.OwnerName) ? $"group {group.Id} '{group.Name}'" : $"group {group.Id} '{group.Name}' ({group.OwnerName})";
}

/// <summary>Seed groups side by side; <see cref="Pairs"/> tests each pair's means.</summary>
public sealed record SeedGroupComparisonView(IReadOnlyList<SeedGroupView> Groups, IReadOnlyList<SeedGroupPair> Pairs, IReadOnlyList<string> Problems);

/// <param name="SameDataset">False when the two groups were tested on different data sets: their figures do not compare.</param>
public sealed record SeedGroupPair(int A, int B, string Figure, SeedGroupComparison Comparison, string Sentence, bool SameDataset);
