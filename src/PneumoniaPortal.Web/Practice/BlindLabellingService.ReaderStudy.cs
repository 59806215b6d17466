using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Practice;

/// <summary>The reader study of a practice set (issue 17): its model, the students' operating points and their agreement.</summary>
public sealed partial class BlindLabellingService
{
    /// <summary>
    /// The runs an instructor may choose as the reader study's model: finished runs of the set's class on its data set
    /// that every student may see anyway (shared with the class; an instructor shares their own run to use it), best
    /// test AUC first.
    /// </summary>
    public async Task<IReadOnlyList<ReaderModelChoice>> ReaderModelChoicesAsync(int id, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (set, role) = await LoadAsync(db, viewer, id, ct);
        if (role != Role.Instructor) throw Refusal.Forbidden("Only an instructor of the class chooses the model of a reader study.");
        return await ReaderModels(db, set)
            .OrderByDescending(r => r.TestAuc).ThenByDescending(r => r.Id)
            .Select(r => new ReaderModelChoice(r.Id, r.Name, r.Owner!.DisplayName, r.TestAuc))
            .ToListAsync(ct);
    }

    /// <summary>Finished runs of the set's class on its data set that its students may all see: those shared with the class.</summary>
    static IQueryable<TrainingRun> ReaderModels(PortalDbContext db, BlindLabellingSet set) =>
        db.Runs.AsNoTracking().Where(r => r.CourseId == set.CourseId && r.DatasetId == set.DatasetId && r.Status == RunStatus.Succeeded && r.SharedWithCourse);

    /// <summary>An instructor chooses the reader study's model (or none), and whether students read a second time with its help.</summary>
    public async Task<ReaderStudy> ChooseReaderModelAsync(int id, ReaderModelRequest request, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (set, role) = await LoadAsync(db, viewer, id, ct, tracked: true);
            if (role != Role.Instructor) throw Refusal.Forbidden("Only an instructor of the class chooses the model of a reader study.");
            if (request.RunId is { } runId && !await ReaderModels(db, set).AnyAsync(r => r.Id == runId, ct))
                throw Refusal.Invalid($"Run {runId} cannot be the model of {set.Title}: choose a finished run of the class on the set's data set that is shared with the class (share your own run to use it).");
            if (request.SecondRead && request.RunId is null)
                throw Refusal.Invalid("A second read shows the model's answers: choose a model first.");
            // The second read's answers are judged against the model the students saw: it stays once one of them saw it.
            if ((request.RunId != set.ReaderRunId || request.SecondRead != set.SecondRead)
                && await db.BlindLabellingItems.Where(i => i.SetId == id).SelectMany(i => i.Answers).AnyAsync(a => a.AssistedAt != null, ct))
                throw Refusal.Conflict($"Students of {set.Title} have started the second read with its model: the model and the second read stay as they are. Make a new set to try another model.");
            set.ReaderRunId = request.RunId;
            set.SecondRead = request.SecondRead;
            await db.SaveChangesAsync(ct);
            log.LogInformation("{User} chose run {Run} as the model of practice set {Id} (second read: {Second})", viewer.Name, request.RunId, id, request.SecondRead);
        }
        return await ReaderStudyAsync(id, ct);
    }

    public async Task<ReaderStudy> ReaderStudyAsync(int id, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (set, role) = await LoadAsync(db, viewer, id, ct);
        var instructor = role == Role.Instructor;
        if (!instructor && !set.Closed)
            throw Refusal.Forbidden($"The reader study of {set.Title} is shown when your instructor closes it; until then nobody's answers or the labels are shown.");

        var dataset = await datasets.GetAsync(set.DatasetId, ct);
        var items = await UsableItemsAsync(db, set, role, ct);
        // The reference standard: the instructor's gold label, else the data set's label now.
        var reference = items.Select(i => (Item: i, Label: i.GoldLabel ?? (dataset.IndexOf(i.RelativePath) is { } x ? dataset.Catalog.Images[x].Label : (Label?)null)))
            .Where(r => r.Label is not null).ToDictionary(r => r.Item.Id, r => r.Label!.Value);
        var gold = items.Count(i => i.GoldLabel is not null && reference.ContainsKey(i.Id));
        var referenceText = gold == reference.Count ? $"the instructor's gold labels ({gold} images)"
            : gold == 0 ? $"the data set's labels ({reference.Count} images)"
            : $"gold labels where the instructor gave one ({gold}), else the data set's labels ({reference.Count - gold})";

        var (model, problem, probabilities, _) = await ReaderModelAsync(db, set, ct);
        var paths = items.ToDictionary(i => i.Id, i => i.RelativePath);
        var compared = reference.Keys.Where(k => probabilities is null || probabilities.ContainsKey(paths[k])).Order().ToList();
        var notInTest = reference.Count - compared.Count;

        var answers = await db.BlindLabellingItems.AsNoTracking().Where(i => i.SetId == id).SelectMany(i => i.Answers)
            .Select(a => new { a.ItemId, a.UserId, a.Label, a.AssistedLabel, Name = a.User!.DisplayName, a.User.Email })
            .ToListAsync(ct);
        var wanted = compared.ToHashSet();
        var byReader = answers.Where(a => wanted.Contains(a.ItemId)).GroupBy(a => a.UserId).ToList();
        static int Bit(Label label) => label == Label.Pneumonia ? 1 : 0;

        RocCurve? roc = null;
        ReaderOperatingPoint? modelPoint = null;
        Dictionary<int, int>? calls = null;
        if (model is not null && probabilities is not null && compared.Count > 0)
        {
            var truth = compared.Select(k => Bit(reference[k])).ToArray();
            var scores = compared.Select(k => probabilities[paths[k]]).ToArray();
            roc = RocCurve.From(truth, scores);
            calls = compared.ToDictionary(k => k, k => probabilities[paths[k]] >= model.Threshold ? 1 : 0);
            var point = ReaderPoint.Of(truth, compared.Select(k => calls[k]).ToArray());
            modelPoint = new ReaderOperatingPoint(model.Name, false, compared.Count, Finite(point.Sensitivity), Finite(point.Specificity), null,
                KappaFigure.Of(agreements.Cohen(truth, compared.Select(k => calls[k]).ToArray())));
        }

        var readers = byReader.Select(g =>
            {
                var mine = g.OrderBy(a => a.ItemId).ToList();
                var truth = mine.Select(a => Bit(reference[a.ItemId])).ToArray();
                var said = mine.Select(a => Bit(a.Label)).ToArray();
                var point = ReaderPoint.Of(truth, said);
                double? above = roc is not null && point.Defined ? point.Sensitivity - point.ModelSensitivityAt(roc) : null;
                var name = g.First().Name is { Length: > 0 } n ? n : g.First().Email ?? "student";
                return (UserId: g.Key, Name: name, Point: point, Above: above, Kappa: KappaFigure.Of(agreements.Cohen(truth, said)), Answers: mine);
            })
            .OrderByDescending(r => r.Point.Defined).ThenByDescending(r => Finite(r.Point.Sensitivity) ?? -1).ThenByDescending(r => Finite(r.Point.Specificity) ?? -1)
            .ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        // A student sees their own name only; the others are numbered in the order above, which says nothing of who they are.
        string Named(int index, string userId, string name) => instructor ? name : userId == viewer.Id ? "You" : $"Reader {index + 1}";
        var points = readers.Select((r, i) => new ReaderOperatingPoint(Named(i, r.UserId, r.Name), r.UserId == viewer.Id, r.Point.Items,
            Finite(r.Point.Sensitivity), Finite(r.Point.Specificity), r.Above, r.Kappa)).ToList();
        var average = ReaderPoint.Average(readers.Select(r => r.Point)) is { } avg
            ? new ReaderOperatingPoint(avg.Readers == 1 ? "Average of 1 reader" : $"Average of {avg.Readers} readers", false, compared.Count, avg.Sensitivity, avg.Specificity,
                roc is null ? null : avg.Sensitivity - ReaderPoint.SensitivityAt(roc, 1 - avg.Specificity), null)
            : null;

        // Fleiss' kappa needs the same readers on every image: the students who answered all of them.
        var complete = readers.Where(r => r.Answers.Count == compared.Count).ToList();
        KappaFigure? classKappa = null;
        if (complete.Count >= 2 && compared.Count > 0)
        {
            var counts = compared.Select(k =>
            {
                var pneumonia = complete.Count(r => r.Answers.First(a => a.ItemId == k).Label == Label.Pneumonia);
                return (IReadOnlyList<int>)[complete.Count - pneumonia, pneumonia];
            }).ToList();
            classKappa = KappaFigure.Of(agreements.Fleiss(counts));
        }

        SecondReadSummary? second = null;
        if (calls is not null && set.SecondRead)
        {
            var rows = readers.Select((r, i) =>
                {
                    var reread = r.Answers.Where(a => a.AssistedLabel is not null).ToList();
                    var bias = AutomationBias.Of(reread.Select(a => Bit(reference[a.ItemId])).ToArray(), reread.Select(a => calls[a.ItemId]).ToArray(),
                        reread.Select(a => Bit(a.Label)).ToArray(), reread.Select(a => Bit(a.AssistedLabel!.Value)).ToArray());
                    return new SecondReadRow(Named(i, r.UserId, r.Name), r.UserId == viewer.Id, bias);
                })
                .Where(r => r.Bias.Images > 0).ToList();
            second = new SecondReadSummary(AutomationBias.Sum(rows.Select(r => r.Bias)), rows.Where(r => instructor || r.IsMe).ToList());
        }

        return new ReaderStudy(set.Id, instructor, model, problem, referenceText, compared.Count, notInTest, roc?.Auc, roc?.Points.Select(p => new ReaderRocPoint(p.FalsePositiveRate, p.TruePositiveRate)).ToList() ?? [], modelPoint,
            points, average, classKappa, complete.Count, second);
    }

    static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>
    /// The chosen model and its probability for each of its visible test images, by path; a model that is no longer
    /// one every student may see (unshared since) or whose results cannot be read is not used, and the reason said.
    /// </summary>
    async Task<(ReaderModel? Model, string? Problem, IReadOnlyDictionary<string, float>? Probabilities, string? Folder)> ReaderModelAsync(PortalDbContext db,
        BlindLabellingSet set, CancellationToken ct)
    {
        if (set.ReaderRunId is not { } runId) return (null, null, null, null);
        var run = await ReaderModels(db, set).Include(r => r.Owner).FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null) return (null, "The chosen model is no longer a finished run shared with the class; the instructor can choose another.", null, null);
        if (await runResults.LoadUncheckedAsync(run, ct) is not { } results)
            return (null, $"The results of {run.Name} cannot be read; the instructor can choose another model.", null, null);
        var probabilities = results.Test.ToDictionary(t => t.RelativePath, t => t.Probability, StringComparer.Ordinal);
        return (new ReaderModel(run.Id, run.Name, results.Threshold, set.SecondRead), null, probabilities, results.FolderPath);
    }

    /// <summary>
    /// The item on the second read and the model's probability for it: for a student of the set while it is open, once
    /// they answered every image blind; for an instructor at any time (to preview it). Refused otherwise, with why.
    /// </summary>
    async Task<(BlindLabellingItem Item, ReaderModel Model, float Probability, string Folder)> SecondReadItemAsync(PortalDbContext db, BlindLabellingSet set,
        Role role, Viewer viewer, int itemId, CancellationToken ct)
    {
        if (!set.SecondRead) throw Refusal.Conflict($"{set.Title} has no second read: the instructor has not turned it on.");
        var (model, problem, probabilities, folder) = await ReaderModelAsync(db, set, ct);
        if (model is null || probabilities is null) throw Refusal.Conflict(problem ?? $"{set.Title} has no model for a second read.");
        var items = await UsableItemsAsync(db, set, role, ct);
        var item = items.FirstOrDefault(i => i.Id == itemId) ?? throw Refusal.NotFound($"Image {itemId} is not part of {set.Title}.");
        if (role == Role.Student)
        {
            if (set.Closed) throw Refusal.Conflict($"{set.Title} is closed: the second read is over. Its results are shown below.");
            var answered = await db.BlindLabellingItems.AsNoTracking().Where(i => i.SetId == set.Id).SelectMany(i => i.Answers)
                .Where(a => a.UserId == viewer.Id).Select(a => a.ItemId).ToListAsync(ct);
            var missing = items.Count(i => !answered.Contains(i.Id));
            if (missing > 0)
                throw Refusal.Conflict($"The second read opens once you answered every image blind; {missing} image{(missing == 1 ? " is" : "s are")} still without your answer.");
        }
        if (!probabilities.TryGetValue(item.RelativePath, out var probability))
            throw Refusal.NotFound($"The model has no answer for image {itemId}: it trained or chose its threshold on it, so it is not part of the second read.");
        // The model's help is about to be shown: from now on the student's blind answers in this set stay as they are.
        if (role == Role.Student)
            await db.BlindLabels.Where(a => a.UserId == viewer.Id && a.AssistedAt == null && db.BlindLabellingItems.Any(i => i.Id == a.ItemId && i.SetId == set.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.AssistedAt, DateTimeOffset.UtcNow), ct);
        return (item, model, probability, folder!);
    }

    /// <summary>The model's probability and call for one image of the second read.</summary>
    public async Task<PracticeHelp> HelpAsync(int id, int itemId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (set, role) = await LoadAsync(db, viewer, id, ct);
        var (item, model, probability, _) = await SecondReadItemAsync(db, set, role, viewer, itemId, ct);
        return new PracticeHelp(item.Id, model.Name, probability >= model.Threshold ? Label.Pneumonia : Label.Normal,
            Math.Abs(probability - model.Threshold) < PracticeHelp.NarrowWithin);
    }

    /// <summary>
    /// The model's Grad-CAM of one image of the second read, computed on the activation queue but kept out of the run's
    /// activation cache (whose entries any classmate may probe, which would tell which images are in the set), and
    /// re-encoded like the practice images, so neither its bytes nor its name lead back to the image's id.
    /// </summary>
    public async Task<(byte[] Bytes, string ContentType)> GradCamAsync(int id, int itemId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (set, role) = await LoadAsync(db, viewer, id, ct);
        var (item, _, _, folder) = await SecondReadItemAsync(db, set, role, viewer, itemId, ct);
        var dataset = await datasets.GetAsync(set.DatasetId, ct);
        var encoded = dataset.Catalog.ReadAllBytes(dataset.Catalog.Images[dataset.IndexOf(item.RelativePath)!.Value]);
        var png = await activations.GradCamUncachedAsync(folder, encoded, ct);
        return (await Task.Run(() => Reencoded(png), ct), "image/png");
    }
}
