using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.DoubtfulImages;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Security;
using SkiaSharp;

namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// Blind labelling practice (issue 5): instructors pick images, students label them without seeing the label or each
/// other's answers; the answers feed the doubtful queue. Every method checks the viewer's role in the set's class on
/// the server; refusals are thrown as <see cref="Refusal"/> with a message to show as it is. Images a
/// leaderboard holds back are never put in a set, and are skipped for students should a leaderboard hold them back later.
/// </summary>
public sealed partial class BlindLabellingService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    DatasetService datasets,
    Classes.WorkingClasses workingClasses,
    HeldOutImages heldOut,
    DoubtfulQueueService queue,
    Results.RunResultsService runResults,
    Activations.ActivationService activations,
    AgreementCache agreements,
    ILogger<BlindLabellingService> log)
{
    enum Role { Student, Instructor }

    /// <summary>The practice sets of the viewer's classes (every class for an admin), newest first.</summary>
    public async Task<IReadOnlyList<PracticeSetSummary>> MineAsync(CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await db.CourseMembers.Where(m => m.UserId == viewer.Id).ToDictionaryAsync(m => m.CourseId, m => m.Role, ct);
        var sets = await db.BlindLabellingSets.AsNoTracking()
            .Where(s => viewer.IsAdmin || roles.Keys.Contains(s.CourseId))
            .Select(s => new
            {
                s.Id, s.CourseId, Course = s.Course!.Name, s.Title, s.Closed, s.CreatedAt,
                Images = s.Items.Count,
                Gold = s.Items.Count(i => i.GoldLabel != null),
                Mine = s.Items.SelectMany(i => i.Answers).Count(a => a.UserId == viewer.Id),
                Students = s.Items.SelectMany(i => i.Answers).Select(a => a.UserId).Distinct().Count(),
            })
            .ToListAsync(ct);
        return sets.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s =>
            {
                var role = viewer.IsAdmin ? Role.Instructor : roles[s.CourseId] == CourseRole.Instructor ? Role.Instructor : Role.Student;
                return new PracticeSetSummary(s.Id, s.CourseId, s.Course, s.Title, s.Images, s.Gold, s.Closed, s.CreatedAt,
                    role == Role.Instructor, role == Role.Student && !s.Closed, s.Mine, s.Students);
            })
            .ToList();
    }

    /// <summary>The classes the viewer may create practice sets for (those they teach; every class for an admin).</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> CoursesICanManageAsync(CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CoursesToManageAsync(viewer, ct);
    }

    /// <summary>An instructor of the class creates a practice set on the class's data set; the images are stored shuffled.</summary>
    public async Task<PracticeSetSummary> CreateAsync(CreatePracticeSet request, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.CourseId, ct);
        var teaches = course is not null && await db.TeachesAsync(viewer, course.Id, ct);
        if (!teaches) throw Refusal.Forbidden("Only an instructor of the class can create its practice sets.");
        if (course!.ArchivedAt is not null) throw Refusal.Conflict($"{course.Name} is archived: reopen it on its roster page to add a practice set.");
        var problems = request.Validate().ToList();
        if (problems.Count > 0) throw Refusal.Invalid(string.Join(" ", problems));

        var active = await datasets.GetAsync(await workingClasses.DatasetIdOfClassAsync(course.Id, ct), ct);
        var random = new Random(request.Seed ?? RandomNumberGenerator.GetInt32(1, 1_000_000));
        var chosen = await ChooseAsync(active, request, random, ct);
        if (chosen.Length == 0)
            throw Refusal.Invalid(request.Choice == PracticeImageChoice.MostDoubtful
                ? "No image has evidence of a wrong label yet (finished runs, duplicates or earlier blind answers); pick random images instead."
                : $"The {(request.Split is { } s ? s.ToString().ToLowerInvariant() + " split" : "data set")} has no image students may see.");
        // Shuffled, so neither the doubt ranking nor the folder order (which names the label) shows in the item order.
        random.Shuffle(chosen);
        var set = new BlindLabellingSet { CourseId = course!.Id, DatasetId = active.Id, Title = request.Title.Trim(), CreatedById = viewer.Id };
        set.Items.AddRange(chosen.Select(i => new BlindLabellingItem
        {
            RelativePath = i.RelativePath,
            GoldLabel = request.Choice == PracticeImageChoice.GoldStandard ? i.Label : null,
        }));
        db.BlindLabellingSets.Add(set);
        await db.SaveChangesAsync(ct);
        log.LogInformation("{User} created practice set {Id} '{Title}' for class {Course}: {Count} images ({Choice})",
            viewer.Name, set.Id, set.Title, course.Name, set.Items.Count, request.Choice);
        return new PracticeSetSummary(set.Id, course.Id, course.Name, set.Title, set.Items.Count, set.Items.Count(i => i.GoldLabel is not null),
            false, set.CreatedAt, true, false, 0, 0);
    }

    async Task<ImageRecord[]> ChooseAsync(LoadedDataset active, CreatePracticeSet request, Random random, CancellationToken ct)
    {
        if (request.Choice == PracticeImageChoice.MostDoubtful)
        {
            return (await queue.RankAsync(active, ct))
                .Where(d => request.Split is null || d.Doubt.Image.Split == request.Split)
                .Take(request.Count).Select(d => active.Catalog.Images[d.Index]).ToArray();
        }
        var hidden = await heldOut.PathsAsync(active.Catalog, ct);
        var pool = active.Catalog.Images
            .Where(i => (request.Split is null || i.Split == request.Split) && !hidden.Contains(i.RelativePath))
            .OrderBy(i => i.RelativePath, StringComparer.Ordinal)
            .ToArray();
        random.Shuffle(pool);
        return pool.Take(request.Count).ToArray();
    }

    /// <summary>A closed set takes no more answers and shows its results to the students.</summary>
    public async Task<PracticeSheet> SetClosedAsync(int id, bool closed, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (set, role) = await LoadAsync(db, viewer, id, ct, tracked: true);
            if (role != Role.Instructor)
                throw Refusal.Forbidden($"Only an instructor of the class can {(closed ? "close" : "reopen")} a practice set.");
            set.Closed = closed;
            await db.SaveChangesAsync(ct);
            log.LogInformation("{User} {Action} practice set {Id}", viewer.Name, closed ? "closed" : "reopened", id);
        }
        return await SheetAsync(id, ct);
    }

    /// <summary>The set to work through: item ids and the viewer's own answers only.</summary>
    public async Task<PracticeSheet> SheetAsync(int id, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (set, role) = await LoadAsync(db, viewer, id, ct);
        var items = await UsableItemsAsync(db, set, role, ct);
        var mine = await db.BlindLabellingItems.AsNoTracking().Where(i => i.SetId == id).SelectMany(i => i.Answers).Where(a => a.UserId == viewer.Id)
            .ToDictionaryAsync(a => a.ItemId, a => (a.Label, a.AssistedLabel, a.AssistedAt), ct);
        // The second read covers the images the model has an answer for, once every image was answered blind; which
        // those are is said only then (it tells which images are in the model's test split).
        var model = set.SecondRead ? await ReaderModelAsync(db, set, ct) : default;
        var open = model.Probabilities is not null && role == Role.Student && !set.Closed && items.Count > 0 && items.All(i => mine.ContainsKey(i.Id));
        var helped = open || role == Role.Instructor ? model.Probabilities : null;
        // Once the model's help was shown, the blind answers stay as they were.
        var locked = mine.Values.Any(a => a.AssistedAt is not null);
        return new PracticeSheet(set.Id, set.CourseId, set.Course?.Name ?? "", set.Title, set.Closed, role == Role.Instructor,
            role == Role.Student && !set.Closed && !locked, role == Role.Instructor || set.Closed,
            items.Select(i => new PracticeItem(i.Id, mine.TryGetValue(i.Id, out var l) ? l.Label : null, mine.TryGetValue(i.Id, out var h) ? h.AssistedLabel : null,
                helped?.ContainsKey(i.RelativePath) == true)).ToList(),
            open, locked, open ? model.Model?.RunId : null);
    }

    /// <summary>A student of the class labels one image (or changes their answer) while the set is open.</summary>
    public async Task<PracticeSheet> AnswerAsync(int id, PracticeAnswerRequest answer, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (set, role) = await LoadAsync(db, viewer, id, ct);
            if (role != Role.Student)
                throw Refusal.Forbidden("Only students of the class answer practice sets; instructors see the results.");
            if (set.Course?.ArchivedAt is not null)
                throw Refusal.Conflict($"{set.Course.Name} is archived: its practice sets take no more answers.");
            if (set.Closed)
                throw Refusal.Conflict($"{set.Title} is closed: it takes no more answers. Its results are shown below.");
            if (!Enum.IsDefined(answer.Label))
                throw Refusal.Invalid("An answer is NORMAL or PNEUMONIA.");
            var items = await UsableItemsAsync(db, set, role, ct);
            if (items.All(i => i.Id != answer.ItemId))
                throw Refusal.NotFound($"Image {answer.ItemId} is not part of {set.Title}.");
            var existing = await db.BlindLabels.FirstOrDefaultAsync(a => a.ItemId == answer.ItemId && a.UserId == viewer.Id, ct);
            if (answer.Assisted)
            {
                await SecondReadItemAsync(db, set, role, viewer, answer.ItemId, ct);
                await db.BlindLabels.Where(a => a.ItemId == answer.ItemId && a.UserId == viewer.Id)
                    .ExecuteUpdateAsync(u => u.SetProperty(a => a.AssistedLabel, answer.Label), ct);
            }
            else if (existing is null)
            {
                db.BlindLabels.Add(new BlindLabel { ItemId = answer.ItemId, UserId = viewer.Id, Label = answer.Label });
                await db.SaveChangesAsync(ct);
            }
            // One statement, on the condition that the model's help was never shown for it: a change racing the
            // second read's start either lands before it or changes nothing.
            else if (await db.BlindLabels.Where(a => a.ItemId == answer.ItemId && a.UserId == viewer.Id && a.AssistedAt == null)
                         .ExecuteUpdateAsync(u => u.SetProperty(a => a.Label, answer.Label).SetProperty(a => a.At, DateTimeOffset.UtcNow), ct) == 0)
                throw Refusal.Conflict("Your blind answers are kept as they were once you have seen the model's help: answer on the second read instead.");
        }
        return await SheetAsync(id, ct);
    }

    /// <summary>
    /// The agreement of every student and the class's split on every image, most disagreement first. Instructors see
    /// it always and with names; students only once the set is closed, and only their own row.
    /// </summary>
    public async Task<PracticeResults> ResultsAsync(int id, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (set, role) = await LoadAsync(db, viewer, id, ct);
        if (role == Role.Student && !set.Closed)
            throw Refusal.Forbidden($"The results of {set.Title} are shown when your instructor closes it; until then nobody's answers or the labels are shown.");
        var items = await UsableItemsAsync(db, set, role, ct);
        var ids = items.Select(i => i.Id).ToHashSet();
        var answers = (await db.BlindLabellingItems.AsNoTracking().Where(i => i.SetId == id).SelectMany(i => i.Answers)
                .Select(a => new { a.ItemId, a.UserId, a.Label, Name = a.User!.DisplayName, Email = a.User.Email }).ToListAsync(ct))
            .Where(a => ids.Contains(a.ItemId)).ToList();
        var names = answers.GroupBy(a => a.UserId).ToDictionary(g => g.Key, g => g.First().Name is { Length: > 0 } n ? n : g.First().Email ?? "student");

        var active = await datasets.GetAsync(set.DatasetId, ct);
        Label? Current(string path) => active.IndexOf(path) is { } i ? active.Catalog.Images[i].Label : null;
        var facts = items.Select(i => new PracticeImageFacts(i.Id, i.GoldLabel, Current(i.RelativePath))).ToList();
        var votes = answers.Select(a => new PracticeVote(a.ItemId, a.UserId, a.Label)).ToList();
        var students = BlindAgreement.PerStudent(facts, votes);
        var perImage = BlindAgreement.PerImage(facts, votes);

        var paths = items.ToDictionary(i => i.Id, i => i.RelativePath);
        var mine = votes.Where(v => v.UserId == viewer.Id).ToDictionary(v => v.ItemId, v => v.Label);
        var instructor = role == Role.Instructor;
        return new PracticeResults(set.Id, set.Title, set.Course?.Name ?? "", set.Closed, instructor, students.Count, votes.Count,
            Pooled(students.Sum(s => s.GoldAgreed), students.Sum(s => s.GoldAnswered)),
            Pooled(students.Sum(s => s.ConsensusAgreed), students.Sum(s => s.ConsensusCompared)),
            students.Where(s => instructor || s.UserId == viewer.Id)
                .OrderByDescending(s => s.Gold ?? -1).ThenByDescending(s => s.Consensus ?? -1).ThenBy(s => names[s.UserId])
                .Select(s => new PracticeStudentResult(names[s.UserId], s.UserId == viewer.Id, s.Answered, s.GoldAnswered, s.GoldAgreed, s.Gold,
                    s.ConsensusCompared, s.ConsensusAgreed, s.Consensus, s.NoConsensus))
                .ToList(),
            perImage.Select(p => new PracticeImageResult(p.ItemId, active.IdOf(active.IndexOf(paths[p.ItemId])!.Value), paths[p.ItemId], p.Current, p.Gold, p.Normal, p.Pneumonia, p.Majority,
                    Math.Round(p.Disagreement, 4), mine.TryGetValue(p.ItemId, out var l) ? l : null))
                .ToList());
    }

    static double? Pooled(int agreed, int compared) => compared == 0 ? null : (double)agreed / compared;

    /// <summary>
    /// The bytes of one image of the set, addressed by item id (no index, path or file name, which would give away the
    /// label), for members of the class.
    /// </summary>
    public async Task<(byte[] Bytes, string ContentType)> ImageAsync(int id, int itemId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (set, role) = await LoadAsync(db, viewer, id, ct);
        var item = (await UsableItemsAsync(db, set, role, ct)).FirstOrDefault(i => i.Id == itemId)
                   ?? throw Refusal.NotFound($"Image {itemId} is not part of {set.Title}.");
        var active = await datasets.GetAsync(set.DatasetId, ct);
        var image = active.Catalog.Images[active.IndexOf(item.RelativePath)!.Value];
        // Re-encoded, not the file itself: its bytes (or their MD5) would find the same image, and its label, in the explorer.
        var bytes = await Task.Run(() => Reencoded(active.Catalog.ReadAllBytes(image)), ct);
        return (bytes, "image/png");
    }

    /// <summary>The side of every practice image: an image's own width and height would find it in the explorer.</summary>
    public const int ImageSize = 512;

    /// <summary>
    /// The image's pixels as a new <see cref="ImageSize"/>-pixel square PNG (scaled to fit, centred on black), without the
    /// original file's bytes, metadata or size.
    /// </summary>
    static byte[] Reencoded(byte[] original)
    {
        using var source = SKBitmap.Decode(original) ?? throw new InvalidDataException("The image could not be decoded.");
        var scale = Math.Min((double)ImageSize / source.Width, (double)ImageSize / source.Height);
        var width = Math.Clamp((int)Math.Round(source.Width * scale), 1, ImageSize);
        var height = Math.Clamp((int)Math.Round(source.Height * scale), 1, ImageSize);
        using var scaled = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var square = new SKBitmap(new SKImageInfo(ImageSize, ImageSize, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(square))
        {
            canvas.Clear(SKColors.Black);
            using var image = SKImage.FromBitmap(scaled);
            canvas.DrawImage(image, (ImageSize - width) / 2f, (ImageSize - height) / 2f, new SKSamplingOptions(SKFilterMode.Nearest));
        }
        using var data = square.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>
    /// The set's images the viewer can be shown, in the stored (shuffled) order: those still in the set's data set, and
    /// for students none a leaderboard holds back.
    /// </summary>
    async Task<IReadOnlyList<BlindLabellingItem>> UsableItemsAsync(PortalDbContext db, BlindLabellingSet set, Role role, CancellationToken ct)
    {
        var active = await datasets.GetAsync(set.DatasetId, ct);
        var hidden = role == Role.Student ? await heldOut.PathsAsync(active.Catalog, ct) : null;
        var items = await db.BlindLabellingItems.AsNoTracking().Where(i => i.SetId == set.Id).OrderBy(i => i.Id).ToListAsync(ct);
        return items.Where(i => active.IndexOf(i.RelativePath) is not null && hidden?.Contains(i.RelativePath) != true).ToList();
    }

    /// <summary>The set and the viewer's role in its class; a set of a class the viewer is not in does not exist for them.</summary>
    static async Task<(BlindLabellingSet Set, Role Role)> LoadAsync(PortalDbContext db, Viewer viewer, int id, CancellationToken ct, bool tracked = false)
    {
        var query = db.BlindLabellingSets.Include(s => s.Course).Where(s => s.Id == id);
        var set = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(ct) ?? throw Missing(id);
        if (viewer.IsAdmin) return (set, Role.Instructor);
        var member = await db.CourseMembers.AsNoTracking().FirstOrDefaultAsync(m => m.CourseId == set.CourseId && m.UserId == viewer.Id, ct);
        return member switch
        {
            null => throw Missing(id),
            { Role: CourseRole.Instructor } => (set, Role.Instructor),
            _ => (set, Role.Student),
        };
    }

    static Refusal Missing(int id) => Refusal.NotFound($"Practice set {id} does not exist or is not one of your classes'.");
}
