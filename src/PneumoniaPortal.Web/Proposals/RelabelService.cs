using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Proposals;

/// <summary>
/// The reviewed relabelling workflow (docs/architecture.md, "Data sets, hidden labels, relabelling"): students propose, classmates vote, instructors decide;
/// an acceptance makes a new label version. Every method checks the viewer on the server.
/// </summary>
public sealed partial class RelabelService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    DatasetService datasets,
    Classes.WorkingClasses workingClasses,
    DatasetVisibility visibility,
    ILogger<RelabelService> log)
{
    public const int MinReasonLength = 10, MaxReasonLength = 2000, MinCommentLength = 3, MaxVoteCommentLength = 1000;

    public async Task<int> ProposeAsync(ProposeRelabel request, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsAuthenticated) throw Refusal.Invalid("Sign in to propose a label.");
        var active = await workingClasses.DatasetOfAsync(viewer, ct);
        if (active.IndexOfId(request.ImageId) is not { } index || !await visibility.CanSeeAsync(viewer, active, index, ct))
            throw Refusal.Invalid("That is not an image of the data set you may see; nothing was proposed.");
        if (!EnumNames.IsNamed(request.Label)) throw Refusal.Invalid(EnumNames.Problem<Label>(request.Label.ToString(), "The label"));
        var image = active.Catalog.Images[index];
        var reason = (request.Reason ?? "").Trim();
        if (reason.Length < MinReasonLength || reason.Length > MaxReasonLength)
            throw Refusal.Invalid($"Say why in {MinReasonLength} to {MaxReasonLength} characters (what you see in the image, which evidence convinced you).");
        var subtype = NormalSubtype(request.Label, request.Subtype, image.Subtype);
        if (subtype is null)
            throw Refusal.Invalid("A PNEUMONIA subtype is bacteria or virus; NORMAL has none.");
        if (request.Label == image.Label && subtype == image.Subtype)
            throw Refusal.Invalid($"The image is already labelled {Name(image.Label)} ({image.Subtype}); propose a different label or subtype.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await AlreadyOpenAsync(db, viewer, active.Id, image.RelativePath, ct) is { } already) throw Refusal.Invalid(already);
        var proposal = new RelabelProposal
        {
            DatasetId = active.Id,
            RelativePath = image.RelativePath,
            CurrentLabel = image.Label,
            CurrentSubtype = image.Subtype,
            ProposedLabel = request.Label,
            ProposedSubtype = subtype,
            Reason = reason,
            ProposerId = viewer.Id,
        };
        db.RelabelProposals.Add(proposal);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone proposed for the same image at the same moment: the database keeps one open proposal per image.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            throw Refusal.Invalid(await AlreadyOpenAsync(again, viewer, active.Id, image.RelativePath, ct) ?? throw new InvalidOperationException("The proposal could not be stored.", null));
        }
        log.LogInformation("{User} proposed {Label}/{Subtype} for {Path} (proposal {Id})", viewer.Name, proposal.ProposedLabel, subtype, image.RelativePath, proposal.Id);
        return proposal.Id;
    }

    /// <summary>Why a new proposal for this image is not made, when one is open: by number when it is the viewer's to vote on, without one when another class's.</summary>
    static async Task<string?> AlreadyOpenAsync(PortalDbContext db, Viewer viewer, int datasetId, string path, CancellationToken ct)
    {
        var open = await db.RelabelProposals.Where(p => p.DatasetId == datasetId && p.RelativePath == path && p.Status == ProposalStatus.Open)
            .Select(p => new { p.Id, p.ProposerId }).FirstOrDefaultAsync(ct);
        if (open is null) return null;
        return await PeopleAsync(db, viewer, ct) is { } people && !people.Contains(open.ProposerId)
            ? "This image already has an open proposal in another class; its instructors will decide it. Nothing was proposed."
            : $"This image already has an open proposal (#{open.Id}); vote on it instead of proposing again.";
    }

    /// <summary>The proposals on images of the viewer's data set (that of the class they work in) this viewer may see, newest first (open ones before decided ones).</summary>
    public async Task<IReadOnlyList<ProposalView>> ListAsync(ProposalFilter filter = ProposalFilter.Open, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsAuthenticated) return [];
        var active = await workingClasses.DatasetOfAsync(viewer, ct);
        var visible = await visibility.ForAsync(viewer, active, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.RelabelProposals.AsNoTracking().Where(p => p.DatasetId == active.Id);
        query = filter switch
        {
            ProposalFilter.Open => query.Where(p => p.Status == ProposalStatus.Open),
            ProposalFilter.Decided => query.Where(p => p.Status != ProposalStatus.Open),
            ProposalFilter.Mine => query.Where(p => p.ProposerId == viewer.Id),
            _ => query,
        };
        var people = await PeopleAsync(db, viewer, ct);
        var rows = await ReviewRowsAsync(Among(query, people), ct);
        return rows.Select(r => ToView(r, active, visible, viewer, people)).OfType<ProposalView>()
            .OrderBy(p => p.Status == ProposalStatus.Open ? 0 : 1)
            .ThenByDescending(p => p.Status == ProposalStatus.Open ? p.CreatedAt : p.DecidedAt ?? p.CreatedAt)
            .ToList();
    }

    /// <summary>One proposal as this viewer sees it; null when it does not exist or is about an image the viewer may not see.</summary>
    public async Task<ProposalView?> GetAsync(int proposalId, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsAuthenticated) return null;
        var active = await workingClasses.DatasetOfAsync(viewer, ct);
        var visible = await visibility.ForAsync(viewer, active, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = await PeopleAsync(db, viewer, ct);
        var rows = await ReviewRowsAsync(Among(db.RelabelProposals.AsNoTracking().Where(p => p.Id == proposalId && p.DatasetId == active.Id), people), ct);
        return rows.Select(r => ToView(r, active, visible, viewer, people)).FirstOrDefault();
    }

    /// <summary>
    /// Agree or disagree with a proposal (again: the newest vote counts). Anyone signed in who may see the image votes,
    /// once per proposal, while it is open; proposers do not vote on their own proposal.
    /// </summary>
    public async Task VoteAsync(int proposalId, CastVote vote, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsAuthenticated) throw Refusal.Forbidden("Sign in to vote.");
        var comment = string.IsNullOrWhiteSpace(vote.Comment) ? null : vote.Comment.Trim();
        if (comment is { Length: > MaxVoteCommentLength })
            throw Refusal.Invalid($"Keep the comment to {MaxVoteCommentLength} characters; yours has {comment.Length}.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var proposal = await db.RelabelProposals.AsNoTracking().Where(p => p.Id == proposalId)
            .Select(p => new { p.DatasetId, p.RelativePath, p.ProposerId, p.Status }).FirstOrDefaultAsync(ct);
        // Another class's proposal is not the viewer's to see: checked before its data set is even opened.
        if (proposal is not null && await PeopleAsync(db, viewer, ct) is { } people && !people.Contains(proposal.ProposerId)) proposal = null;
        // On the proposal's own data set: a proposal stays the one it was made on whichever class its voter works in now.
        var active = proposal is null ? null : await datasets.FindAsync(proposal.DatasetId, ct);
        if (proposal is null || active?.IndexOf(proposal.RelativePath) is not { } index || !await visibility.CanSeeAsync(viewer, active, index, ct))
            throw Refusal.NotFound($"There is no proposal #{proposalId} you may see.");
        if (proposal.ProposerId == viewer.Id)
            throw Refusal.Forbidden("You cannot vote on your own proposal: your reason already speaks for it.");
        if (proposal.Status != ProposalStatus.Open)
            throw Refusal.Conflict($"Proposal #{proposalId} has been decided ({proposal.Status.ToString().ToLowerInvariant()}); voting is closed.");
        for (var attempt = 1; ; attempt++)
        {
            var mine = await db.ProposalVotes.FirstOrDefaultAsync(v => v.ProposalId == proposalId && v.UserId == viewer.Id, ct);
            if (mine is null) db.ProposalVotes.Add(mine = new ProposalVote { ProposalId = proposalId, UserId = viewer.Id });
            (mine.Agree, mine.Comment, mine.At) = (vote.Agree, comment, DateTimeOffset.UtcNow);
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // The same person voted twice at once (two tabs): the other vote is stored now, so this one updates it.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// An instructor's decision. Accepting (as proposed, or fixed to the instructor's label) writes the next label
    /// version of the data set and marks the proposal accepted in one transaction; when two instructors decide the same
    /// proposal at once, exactly one decision is stored and the other is told who decided first.
    /// </summary>
    public async Task<int?> DecideAsync(int proposalId, DecideProposal request, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsStaff) throw Refusal.Forbidden("Only instructors and admins decide proposals; you can vote on it instead.");
        if (!EnumNames.IsNamed(request.Decision)) throw Refusal.Invalid(EnumNames.Problem<ReviewDecision>(request.Decision.ToString(), "The decision"));
        if (request.Label is { } asked && !EnumNames.IsNamed(asked)) throw Refusal.Invalid(EnumNames.Problem<Label>(asked.ToString(), "The label"));
        var comment = (request.Comment ?? "").Trim();
        if (comment.Length is < MinCommentLength or > MaxReasonLength)
            throw Refusal.Invalid($"Write a comment of {MinCommentLength} to {MaxReasonLength} characters for the class: why this label is right or wrong.");
        RelabelProposal? proposal;
        await using (var read = await dbFactory.CreateDbContextAsync(ct))
        {
            proposal = await read.RelabelProposals.AsNoTracking().FirstOrDefaultAsync(p => p.Id == proposalId, ct);
            // Instructors decide the proposals of their own classes' members; another class's are not theirs to see.
            if (proposal is not null && await PeopleAsync(read, viewer, ct) is { } people && !people.Contains(proposal.ProposerId)) proposal = null;
        }
        var active = proposal is null ? null : await datasets.FindAsync(proposal.DatasetId, ct);
        if (proposal is null || active?.IndexOf(proposal.RelativePath) is not { } index)
            throw Refusal.NotFound($"There is no proposal #{proposalId} you may decide.");
        // No early "is it still open?" check: the conditional update below is the one place that decides who was first.

        (Label Label, string Subtype)? target = null;
        if (request.Decision == ReviewDecision.Accept) target = (proposal.ProposedLabel, proposal.ProposedSubtype);
        else if (request.Decision == ReviewDecision.Fix)
        {
            if (request.Label is not { } label) throw Refusal.Invalid("Choose the label to accept instead of the proposed one.");
            if (NormalSubtype(label, request.Subtype, active.Catalog.Images[index].Subtype) is not { } subtype)
                throw Refusal.Invalid("A PNEUMONIA subtype is bacteria or virus; NORMAL has none.");
            target = (label, subtype);
        }

        var status = target is null ? ProposalStatus.Rejected : ProposalStatus.Accepted;
        Label? acceptedLabel = target?.Label;
        var acceptedSubtype = target?.Subtype;
        var original = active.Catalog.Original.Find(proposal.RelativePath) ?? active.Catalog.Images[index];
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = DateTimeOffset.UtcNow;
            // Only an open proposal is decided: of two instructors deciding at once, the second updates no row.
            var won = await db.RelabelProposals
                .Where(p => p.Id == proposalId && p.Status == ProposalStatus.Open)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.Status, status)
                    .SetProperty(p => p.DecidedById, viewer.Id)
                    .SetProperty(p => p.DecidedAt, now)
                    .SetProperty(p => p.DecisionComment, comment)
                    .SetProperty(p => p.AcceptedLabel, acceptedLabel)
                    .SetProperty(p => p.AcceptedSubtype, acceptedSubtype), ct);
            if (won == 0)
            {
                await tx.RollbackAsync(ct);
                throw Refusal.Conflict(await AlreadyDecidedAsync(proposalId, ct));
            }
            // The newest stored label, read inside the write transaction: the catalog in memory may lag a decision just made.
            var latest = await db.LabelChanges.AsNoTracking()
                .Where(c => c.DatasetId == active.Id && c.RelativePath == proposal.RelativePath)
                .OrderByDescending(c => c.Version).Select(c => new { c.ToLabel, c.ToSubtype }).FirstOrDefaultAsync(ct);
            var (fromLabel, fromSubtype) = latest is null ? (original.Label, original.Subtype) : (latest.ToLabel, latest.ToSubtype);
            if (target is { } same && same.Label == fromLabel && same.Subtype == fromSubtype)
            {
                await tx.RollbackAsync(ct);
                throw Refusal.Invalid($"The image is already labelled {Name(fromLabel)} ({fromSubtype}); reject the proposal, or fix it with another label.");
            }
            if (target is not { } to)
            {
                await tx.CommitAsync(ct);
                log.LogInformation("{User} rejected proposal {Id} for {Path}", viewer.Name, proposalId, proposal.RelativePath);
                return null;
            }

            // Computed after the proposal row is written, so this transaction already holds the write lock.
            var version = (await db.LabelChanges.Where(c => c.DatasetId == active.Id).MaxAsync(c => (int?)c.Version, ct) ?? 0) + 1;
            db.LabelChanges.Add(new LabelChangeRecord
            {
                DatasetId = active.Id, Version = version, RelativePath = proposal.RelativePath,
                FromLabel = fromLabel, FromSubtype = fromSubtype, ToLabel = to.Label, ToSubtype = to.Subtype,
                ProposalId = proposalId, DecidedById = viewer.Id, At = now,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                await db.RelabelProposals.Where(p => p.Id == proposalId).ExecuteUpdateAsync(s => s.SetProperty(p => p.LabelVersion, version), ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (attempt < 5)
            {
                // Another acceptance took this version number first (a database that lets both read the same maximum): start over.
                log.LogInformation(e, "Label version {Version} of data set {Dataset} was taken; deciding proposal {Id} again", version, active.Id, proposalId);
                await tx.RollbackAsync(ct);
                continue;
            }
            log.LogInformation("{User} accepted {Label}/{Subtype} for {Path} (proposal {Id}): label version {Version}",
                viewer.Name, to.Label, to.Subtype, proposal.RelativePath, proposalId, version);
            await datasets.ReloadLabelsAsync(active.Id, ct);
            return version;
        }
    }

    /// <summary>"Proposal #n was already accepted by X at T": what the instructor who came second reads.</summary>
    async Task<string> AlreadyDecidedAsync(int proposalId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decided = await db.RelabelProposals.AsNoTracking().Where(p => p.Id == proposalId)
            .Select(p => new { p.Status, p.DecidedAt, p.LabelVersion, By = p.DecidedBy!.DisplayName, ByEmail = p.DecidedBy!.UserName }).FirstAsync(ct);
        var who = string.IsNullOrWhiteSpace(decided.By) ? decided.ByEmail : decided.By;
        var version = decided.LabelVersion is { } v ? $" (label version {v})" : "";
        return $"Proposal #{proposalId} was already {decided.Status.ToString().ToLowerInvariant()} by {who} at {decided.DecidedAt:yyyy-MM-dd HH:mm:ss} UTC{version}; nothing was changed.";
    }

    /// <summary>Label history of the image with this id, when the viewer may see it; empty otherwise (the same for an id of nothing).</summary>
    public async Task<IReadOnlyList<LabelHistoryEntry>> HistoryAsync(string imageId, CancellationToken ct = default) =>
        await workingClasses.DatasetOfAsync(await currentUser.GetAsync(), ct) is var mine && mine.IndexOfId(imageId) is { } index ? await HistoryAsync(mine, index, ct) : [];

    /// <summary>
    /// Label history of one image the viewer may see (at a position of <paramref name="active"/>, the data set the page
    /// shows, as this service handed it out): the original label, then every proposal, vote count and decision.
    /// </summary>
    public async Task<IReadOnlyList<LabelHistoryEntry>> HistoryAsync(LoadedDataset active, int index, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!await visibility.CanSeeAsync(viewer, active, index, ct)) return [];
        var path = active.Catalog.Images[index].RelativePath;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = await PeopleAsync(db, viewer, ct);
        var rows = await ReviewRowsAsync(Among(db.RelabelProposals.AsNoTracking().Where(p => p.DatasetId == active.Id && p.RelativePath == path), people), ct);
        return LabelHistory.Of(active.Catalog.Original.Find(path) ?? active.Catalog.Images[index], rows.Select(r => WithVotesOf(r, people)).ToList());
    }

    /// <summary>Current labels of every image the viewer may see, as CSV (path, split, label, subtype, label version, changed from).</summary>
    public async Task<string> LabelsCsvAsync(CancellationToken ct = default)
    {
        var (active, visible) = await VisibleAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changes = await db.LabelChanges.AsNoTracking().Where(c => c.DatasetId == active.Id).ToListAsync(ct);
        return LabelExport.LabelsCsv(active, visible, changes);
    }

    /// <summary>Every proposal on images the viewer may see, with votes, decision and resulting label version, as CSV.</summary>
    public async Task<string> ChangesCsvAsync(CancellationToken ct = default)
    {
        var (active, visible) = await VisibleAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = await PeopleAsync(db, await currentUser.GetAsync(), ct);
        var rows = await ReviewRowsAsync(Among(db.RelabelProposals.AsNoTracking().Where(p => p.DatasetId == active.Id), people), ct);
        return LabelExport.ChangesCsv(active, rows.Where(r => active.IndexOf(r.Proposal.RelativePath) is { } i && visible.CanSee(i)).Select(r => WithVotesOf(r, people)));
    }

    async Task<(LoadedDataset, VisibleDataset)> VisibleAsync(CancellationToken ct)
    {
        var viewer = await currentUser.GetAsync();
        var active = await workingClasses.DatasetOfAsync(viewer, ct);
        return (active, await visibility.ForAsync(viewer, active, ct));
    }

    /// <summary>Proposals with the names of proposer, decider and voters (DateTimeOffset cannot be sorted by SQLite: callers sort).</summary>
    static async Task<List<ReviewRow>> ReviewRowsAsync(IQueryable<RelabelProposal> query, CancellationToken ct) =>
        (await query.Select(p => new
        {
            Proposal = p,
            Proposer = p.Proposer!.DisplayName, ProposerEmail = p.Proposer!.UserName,
            DecidedBy = p.DecidedBy == null ? null : p.DecidedBy.DisplayName, DecidedByEmail = p.DecidedBy == null ? null : p.DecidedBy.UserName,
            Votes = p.Votes.Select(v => new { v.UserId, v.User!.DisplayName, v.User!.UserName, v.Agree, v.Comment, v.At }).ToList(),
        })
            .ToListAsync(ct))
        .Select(r => new ReviewRow(r.Proposal, Person(r.Proposer, r.ProposerEmail),
            r.DecidedBy is null && r.DecidedByEmail is null ? null : Person(r.DecidedBy, r.DecidedByEmail),
            r.Votes.OrderBy(v => v.At).Select(v => (v.UserId, new VoteView(Person(v.DisplayName, v.UserName), v.Agree, v.Comment, v.At))).ToList()))
        .ToList();

    /// <summary>A person as classmates see them: their display name, never their email (the sign-in name).</summary>
    static string Person(string? displayName, string? userName) => string.IsNullOrWhiteSpace(displayName) ? "a member of the class" : displayName;

    /// <summary>Whose proposals and votes the viewer sees (<see cref="CourseAccess.ClassmatesAsync"/>): who proposed what, and why, stays in the class.</summary>
    static Task<IReadOnlySet<string>?> PeopleAsync(PortalDbContext db, Viewer viewer, CancellationToken ct) => db.ClassmatesAsync(viewer, ct);

    static IQueryable<RelabelProposal> Among(IQueryable<RelabelProposal> query, IReadOnlySet<string>? people) =>
        people is null ? query : query.Where(p => people.Contains(p.ProposerId));

    /// <summary>The proposal with only the votes of people the viewer may see.</summary>
    static ReviewRow WithVotesOf(ReviewRow row, IReadOnlySet<string>? people) =>
        people is null ? row : row with { Votes = row.Votes.Where(v => people.Contains(v.UserId)).ToList() };

    static ProposalView? ToView(ReviewRow row, LoadedDataset active, VisibleDataset visible, Viewer viewer, IReadOnlySet<string>? people)
    {
        row = WithVotesOf(row, people);
        var p = row.Proposal;
        if (active.IndexOf(p.RelativePath) is not { } index || !visible.CanSee(index)) return null;
        var now = active.Catalog.Images[index];
        var open = p.Status == ProposalStatus.Open;
        var isMine = p.ProposerId == viewer.Id;
        return new ProposalView(p.Id, active.IdOf(index), p.RelativePath, now.Split,
            p.CurrentLabel, p.CurrentSubtype, p.ProposedLabel, p.ProposedSubtype, now.Label, now.Subtype,
            p.Reason, row.Proposer, isMine, p.CreatedAt, p.Status,
            row.Votes.Select(v => v.Vote).ToList(),
            row.Votes.Where(v => v.UserId == viewer.Id).Select(v => (bool?)v.Vote.Agree).FirstOrDefault(),
            row.DecidedBy, p.DecidedAt, p.DecisionComment, p.AcceptedLabel, p.AcceptedSubtype, p.LabelVersion,
            CanVote: open && !isMine && viewer.IsAuthenticated,
            CanDecide: open && viewer.IsStaff);
    }

    /// <summary>The subtype to store, or null when it does not fit the label.</summary>
    internal static string? NormalSubtype(Label label, string? asked, string current)
    {
        var s = string.IsNullOrWhiteSpace(asked) ? LabelVersions.DefaultSubtype(label, current) : asked.Trim().ToLowerInvariant();
        return label == Label.Normal ? (s == "normal" ? s : null) : (s is "bacteria" or "virus" ? s : null);
    }

    internal static string Name(Label label) => label.ToString().ToUpperInvariant();
}
