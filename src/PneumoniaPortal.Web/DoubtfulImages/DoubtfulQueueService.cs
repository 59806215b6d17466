using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>
/// The doubtful-image queue: the images of the viewer's data set (that of the class they work in, at its newest labels)
/// ranked by evidence. Images a leaderboard holds back never appear (their labels must not leave the server).
/// </summary>
public sealed partial class DoubtfulQueueService(
    IDbContextFactory<PortalDbContext> dbFactory,
    Classes.WorkingClasses workingClasses,
    HeldOutImages heldOut,
    BlindAnswerCounts blindAnswerCounts,
    PortalPaths paths,
    NearDuplicateIndex nearDuplicates,
    DoubtfulQueueCache cache,
    Security.CurrentUser currentUser)
{
    public async Task<IReadOnlyList<DoubtfulEntry>> RankAsync(CancellationToken ct = default) => (await SnapshotAsync(await MineAsync(ct), ct)).Queue.Entries;

    /// <summary>The queue of one data set (a practice set made for a class on its data set), whoever is asking.</summary>
    public async Task<IReadOnlyList<DoubtfulEntry>> RankAsync(LoadedDataset dataset, CancellationToken ct = default) => (await SnapshotAsync(dataset, ct)).Queue.Entries;

    /// <summary>The ranked queue with counts of what fed it.</summary>
    public async Task<DoubtfulQueue> QueueAsync(CancellationToken ct = default) => (await SnapshotAsync(await MineAsync(ct), ct)).Queue;

    async Task<LoadedDataset> MineAsync(CancellationToken ct) => await workingClasses.DatasetOfAsync(await currentUser.GetAsync(), ct);

    /// <summary>How far the near-duplicate hashing of the viewer's data set has come, or null when it is not under way.</summary>
    public async Task<HashingProgress?> HashingProgressAsync(CancellationToken ct = default)
    {
        var active = await MineAsync(ct);
        return nearDuplicates.IsReady(active.Catalog) ? null : nearDuplicates.ProgressOf(active.Catalog);
    }

    /// <summary>One image for the detail panel, or null when it is not in the data set or held back.</summary>
    public async Task<DoubtfulDetail?> DetailAsync(int index, CancellationToken ct = default) => await DetailAsync(await MineAsync(ct), index, ct);

    /// <summary>
    /// One image at a position of <paramref name="dataset"/>: the data set of the queue the page shows (as this service
    /// handed it out), so a class that moved to another set meanwhile does not turn the position into another image.
    /// </summary>
    public async Task<DoubtfulDetail?> DetailAsync(LoadedDataset dataset, int index, CancellationToken ct = default)
    {
        var snapshot = await SnapshotAsync(dataset, ct);
        var active = snapshot.Queue.Dataset;
        if (index < 0 || index >= active.Catalog.Count) return null;
        var image = active.Catalog.Images[index];
        if (snapshot.Hidden.Contains(image.RelativePath)) return null;

        var exact = active.TwinsOf(index);
        var twins = exact.Select(i => new DoubtfulTwin(i, active.Catalog.Images[i], true, 0))
            .Concat(snapshot.NearDuplicates.OthersOf(index).Where(i => !exact.Contains(i))
                .Select(i => new DoubtfulTwin(i, active.Catalog.Images[i], false, snapshot.NearDuplicates.Distance(index, i))))
            .Where(t => !snapshot.Hidden.Contains(t.Image.RelativePath))
            .OrderBy(t => t.Distance).ThenBy(t => t.Image.RelativePath, StringComparer.Ordinal)
            .ToList();

        RunsSummary? runs = null;
        if (snapshot.Opinions.TryGetValue(image.RelativePath, out var opinions) && opinions.Count > 0)
            runs = new RunsSummary(opinions.Count, opinions.Count(o => o.Probability >= 0.5f), opinions.Average(o => o.Probability),
                opinions.Min(o => o.Probability), opinions.Max(o => o.Probability));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Another class's open proposal, and its reason, are that class's.
        var people = await Security.CourseAccess.ClassmatesAsync(db, await currentUser.GetAsync(), ct);
        var open = await db.RelabelProposals.AsNoTracking()
            .Where(p => p.DatasetId == active.Id && p.RelativePath == image.RelativePath && p.Status == ProposalStatus.Open)
            .Where(p => people == null || people.Contains(p.ProposerId))
            .OrderBy(p => p.Id)
            .Select(p => new OpenProposal(p.Id, p.ProposedLabel, p.ProposedSubtype, p.Reason, p.CreatedAt))
            .FirstOrDefaultAsync(ct);

        return new DoubtfulDetail(index, image, snapshot.ByIndex.GetValueOrDefault(index)?.Doubt, twins, runs, open);
    }

    async Task<DoubtfulSnapshot> SnapshotAsync(LoadedDataset active, CancellationToken ct)
    {
        var hidden = await heldOut.PathsAsync(active.Catalog, ct);
        List<(int Id, string Folder)> runs;
        int blindAnswers;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            runs = (await db.Runs.AsNoTracking().Where(r => r.DatasetId == active.Id && r.Status == RunStatus.Succeeded && r.Folder != "")
                .OrderBy(r => r.Id).Select(r => new { r.Id, r.Folder }).ToListAsync(ct)).Select(r => (r.Id, r.Folder)).ToList();
            blindAnswers = await BlindAnswerCounts.CountAsync(db, active.Id, ct);
        }
        // A finished run, an accepted relabelling, a new blind answer or a new leaderboard changes the key; the time limit
        // catches what it does not (a changed blind answer).
        var key = new DoubtfulQueueKey(active.Id, active.Catalog.ContentFingerprint, active.LabelVersion, hidden,
            string.Join(",", runs.Select(r => r.Id)), blindAnswers);
        return await cache.GetOrBuildAsync(key, () => BuildAsync(active, hidden, runs, blindAnswers, ct), ct);
    }

    async Task<DoubtfulSnapshot> BuildAsync(LoadedDataset active, IReadOnlySet<string> hidden, IReadOnlyList<(int Id, string Folder)> runs, int blindAnswers, CancellationToken ct)
    {
        var near = await nearDuplicates.GetAsync(active.Catalog, ct);
        var votes = await blindAnswerCounts.VotesAsync(active.Id, ct);
        return await Task.Run(() =>
        {
            var opinions = Opinions(runs);
            var catalog = active.Catalog.Images;
            var images = new List<ImageRecord>(catalog.Count);
            var position = new int[catalog.Count];
            for (var i = 0; i < catalog.Count; i++)
            {
                if (hidden.Contains(catalog[i].RelativePath)) { position[i] = -1; continue; }
                position[i] = images.Count;
                images.Add(catalog[i]);
            }
            // Groups found over every file, narrowed to the images this queue shows.
            var groups = near.Groups.Select(g => (IReadOnlyList<int>)g.Select(i => position[i]).Where(p => p >= 0).ToArray())
                .Where(g => g.Count > 1).ToList();
            var ranked = Core.Relabelling.DoubtfulImages.Rank(images, opinions, groups, votes);
            var entries = ranked.Select(d => new DoubtfulEntry(active.IndexOf(d.Image.RelativePath)!.Value, d)).ToList();
            return new DoubtfulSnapshot(new DoubtfulQueue(active, entries, runs.Count, blindAnswers, groups.Count),
                entries.ToDictionary(e => e.Index), opinions, hidden, near);
        }, ct);
    }

    /// <summary>Every finished run's stored probability per image (validation and test predictions), anonymous.</summary>
    Dictionary<string, IReadOnlyList<RunOpinion>> Opinions(IReadOnlyList<(int Id, string Folder)> runs)
    {
        var opinions = new Dictionary<string, List<RunOpinion>>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            var file = new RunFolder(Path.Combine(paths.RunsDirectory, run.Folder)).Predictions;
            if (!File.Exists(file)) continue;
            foreach (var row in PredictionsCsv.Read(file))
            {
                if (!opinions.TryGetValue(row.RelativePath, out var list)) opinions[row.RelativePath] = list = [];
                list.Add(new RunOpinion($"run {run.Id}", row.Probability));
            }
        }
        return opinions.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<RunOpinion>)kv.Value, StringComparer.Ordinal);
    }
}
