using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Results;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Account;

/// <summary>
/// What a signed-in person does with their own account: name and email, the classes they are in, a copy of their
/// data, and deleting the account. Password and two-factor changes are Identity's own, on the account pages.
/// </summary>
public sealed class AccountService(
    IDbContextFactory<PortalDbContext> dbFactory,
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    CurrentUser currentUser,
    RunLifecycle lifecycle,
    RunResultsService results,
    PortalPaths paths,
    ILogger<AccountService> log)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<IReadOnlyList<MyClass>> MyClassesAsync(CancellationToken ct = default)
    {
        var viewer = await SignedInAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.CourseMembers.Where(m => m.UserId == viewer.Id)
            .Select(m => new { m.CourseId, m.Course!.Name, m.Role, m.Course.ArchivedAt, m.JoinedAt }).ToListAsync(ct);
        return rows.OrderBy(r => r.Name).Select(r => new MyClass(r.CourseId, r.Name, r.Role, r.ArchivedAt is not null, r.JoinedAt)).ToList();
    }

    /// <summary>
    /// Leaves a class: its shared runs, leaderboards and practice sets are no longer the person's to see; their own runs
    /// stay theirs. The last instructor of a class cannot leave it (an admin can archive it instead).
    /// </summary>
    public async Task LeaveClassAsync(int courseId, CancellationToken ct = default)
    {
        var viewer = await SignedInAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await db.CourseMembers.Include(m => m.Course).SingleOrDefaultAsync(m => m.CourseId == courseId && m.UserId == viewer.Id, ct)
            ?? throw Refusal.NotFound("You are not in that class.");
        if (member.Role == CourseRole.Instructor && await db.CourseMembers.CountAsync(m => m.CourseId == courseId && m.Role == CourseRole.Instructor, ct) == 1)
            throw Refusal.Conflict($"You are the only instructor of {member.Course!.Name}. Add another instructor first, or archive the class.");
        db.CourseMembers.Remove(member);
        await db.SaveChangesAsync(ct);
        log.LogInformation("{User} left class {CourseId}", viewer.Id, courseId);
    }

    public async Task UpdateProfileAsync(string displayName, CancellationToken ct = default)
    {
        var user = await UserAsync();
        var name = (displayName ?? "").Trim();
        if (name.Length is 0 or > 80) throw Refusal.Invalid("Your name needs 1 to 80 characters.");
        user.DisplayName = name;
        (await users.UpdateAsync(user)).OrRefuse();
    }

    /// <summary>Changes the email, which is also the sign-in name; the password confirms it is the account's owner.</summary>
    public async Task ChangeEmailAsync(string newEmail, string password, CancellationToken ct = default)
    {
        var user = await UserAsync();
        await ConfirmPasswordAsync(user, password, "the email was not changed");
        var address = (newEmail ?? "").Trim();
        if (string.Equals(address, user.Email, StringComparison.OrdinalIgnoreCase)) throw Refusal.Invalid("That is already your email.");
        var probe = new PortalUser { UserName = address, Email = address };
        var problems = new List<string>();
        foreach (var validator in users.UserValidators)
            problems.AddRange((await validator.ValidateAsync(users, probe)).Errors.Select(e => e.Description));
        if (problems.Count > 0) throw new Refusal(RefusalKind.Invalid, problems);
        user.Email = address;
        user.UserName = address;
        user.EmailConfirmed = true;
        (await users.UpdateAsync(user)).OrRefuse();
        // Links already mailed to the old address, and sign-ins elsewhere, end (the page renews its own).
        await users.UpdateSecurityStampAsync(user);
        log.LogInformation("{User} changed their email", user.Id);
    }

    /// <summary>The file name of <see cref="WriteExportAsync"/>'s zip.</summary>
    public static string ExportFileName => $"pneumoniaportal-my-data-{DateTime.UtcNow:yyyy-MM-dd}.zip";

    /// <summary>
    /// A zip of what the portal holds about the signed-in person: profile and classes, every run with its settings,
    /// per-epoch figures and test predictions (as the run's page gives them: without held-back images), relabel
    /// proposals and votes, practice answers (without image paths, which name labels) and leaderboard submissions
    /// (private scores only once revealed).
    /// </summary>
    public async Task WriteExportAsync(Stream output, CancellationToken ct = default)
    {
        // Built in a file first: a zip entry's stream ends with a synchronous write, which a response body refuses.
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await WriteZipAsync(file, ct);
        file.Position = 0;
        await file.CopyToAsync(output, ct);
    }

    async Task WriteZipAsync(Stream output, CancellationToken ct)
    {
        var user = await UserAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);

        var classes = await MyClassesAsync(ct);
        await WriteJsonAsync(zip, "account.json", new
        {
            user.Email, user.DisplayName, user.CreatedAt, user.LastSignInAt,
            Roles = await users.GetRolesAsync(user),
            TwoFactor = user.TwoFactorEnabled,
            Classes = classes,
        }, ct);

        var runs = await db.Runs.AsNoTracking().Where(r => r.OwnerId == user.Id).OrderBy(r => r.Id).ToListAsync(ct);
        foreach (var run in runs)
        {
            var folder = $"runs/{run.Id:D6}-{Safe(run.Name)}/";
            var epochs = await db.RunEpochs.Where(e => e.RunId == run.Id).OrderBy(e => e.Epoch).Select(e => e.MetricsJson).ToListAsync(ct);
            await WriteJsonAsync(zip, folder + "run.json", new
            {
                run.Id, run.Name, run.Preset, Status = run.Status.ToString(), run.SharedWithCourse, run.LabelVersion,
                run.EpochsPlanned, run.EpochsDone, run.BestEpoch, run.BestValAccuracy, run.BestValAuc, run.TestAccuracy, run.TestAuc,
                run.Device, run.Parameters, run.QueuedAt, run.StartedAt, run.FinishedAt, run.Message, run.Error,
                Settings = JsonDocument.Parse(string.IsNullOrEmpty(run.ConfigJson) ? "{}" : run.ConfigJson).RootElement,
                Epochs = epochs.Select(e => JsonDocument.Parse(e).RootElement).ToList(),
            }, ct);
            if (await results.LoadUncheckedAsync(run, ct) is { } finished) // the owner's own run
            {
                var predictions = RunDownloads.Predictions(finished);
                await using var entry = await zip.CreateEntry(folder + "predictions.csv").OpenAsync(ct);
                await predictions.WriteAsync(entry, ct);
            }
        }

        var proposals = await db.RelabelProposals.AsNoTracking().Where(p => p.ProposerId == user.Id).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.RelativePath, CurrentLabel = p.CurrentLabel.ToString(), ProposedLabel = p.ProposedLabel.ToString(), p.Reason, Status = p.Status.ToString(), p.CreatedAt, p.DecidedAt, p.DecisionComment })
            .ToListAsync(ct);
        var votes = await db.ProposalVotes.AsNoTracking().Where(v => v.UserId == user.Id).OrderBy(v => v.At)
            .Select(v => new { v.ProposalId, v.Agree, v.Comment, v.At }).ToListAsync(ct);
        await WriteJsonAsync(zip, "relabelling.json", new { Proposals = proposals, Votes = votes }, ct);

        var answers = await db.BlindLabels.AsNoTracking().Where(a => a.UserId == user.Id).OrderBy(a => a.At)
            .Select(a => new { Set = db.BlindLabellingItems.Where(i => i.Id == a.ItemId).Select(i => i.Set!.Title).FirstOrDefault(), Item = a.ItemId, Answer = a.Label.ToString(), a.At })
            .ToListAsync(ct);
        await WriteJsonAsync(zip, "practice-answers.json", answers, ct);

        var submissions = await db.LeaderboardSubmissions.AsNoTracking().Where(s => s.UserId == user.Id).OrderBy(s => s.SubmittedAt)
            .Select(s => new { Leaderboard = s.Leaderboard!.Title, s.RunId, s.SubmittedAt, s.PublicScore, PrivateScore = s.Leaderboard.PrivateRevealed ? s.PrivateScore : (double?)null })
            .ToListAsync(ct);
        await WriteJsonAsync(zip, "leaderboard-submissions.json", submissions, ct);

        await using var readme = await zip.CreateEntry("README.txt").OpenAsync(ct);
        await readme.WriteAsync(Encoding.UTF8.GetBytes(
            $"Your data on PneumoniaPortal, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.\n" +
            "account.json: your profile and classes. runs/: each run's settings, per-epoch figures and test predictions.\n" +
            "relabelling.json: your relabel proposals and votes. practice-answers.json: your labelling-practice answers.\n" +
            "leaderboard-submissions.json: your submissions and their scores (private scores once revealed).\n"), ct);
    }

    /// <summary>
    /// Deletes the signed-in person's account. Their private runs (not shared, never submitted) and those runs' files go;
    /// runs still training are cancelled first and kept until they stop. The account row stays, without name, email,
    /// password, roles or classes, so the votes, proposals, accepted relabels, practice answers and shared or submitted
    /// runs they gave their classes keep an author that is no one in particular. The caller signs out.
    /// </summary>
    public async Task DeleteAsync(string password, CancellationToken ct = default)
    {
        var user = await UserAsync();
        await ConfirmPasswordAsync(user, password, "nothing was deleted");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var taughtAlone = await db.CourseMembers
            .Where(m => m.UserId == user.Id && m.Role == CourseRole.Instructor
                        && db.CourseMembers.Count(o => o.CourseId == m.CourseId && o.Role == CourseRole.Instructor) == 1)
            .Select(m => m.Course!.Name).ToListAsync(ct);
        if (taughtAlone.Count > 0)
            throw Refusal.Conflict($"You are the only instructor of {string.Join(", ", taughtAlone)}. Add another instructor to each first (on its roster page), or ask an admin.");
        // The role goes first, through the rule that keeps one admin (two admins deleting themselves at once both stay).
        if (await users.IsInRoleAsync(user, Roles.Admin))
            await users.KeepOneAdminAsync(
                async () => (await users.RemoveFromRoleAsync(user, Roles.Admin)).OrRefuse(),
                async () => (await users.AddToRoleAsync(user, Roles.Admin)).OrRefuse(),
                "You are the portal's only admin. Make someone else an admin on the People page first.");

        foreach (var active in await db.Runs.Where(r => r.OwnerId == user.Id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)).Select(r => r.Id).ToListAsync(ct))
            try { await lifecycle.CancelAsync(active, ct); }
            catch (Refusal) { } // it ended in between
        // A submitted seed group is scored from all its runs: they stay with the submission.
        var submitted = db.LeaderboardSubmissions.Select(s => s.RunId);
        var submittedGroups = db.LeaderboardSubmissions.Where(s => s.GroupId != null).Select(s => s.GroupId);
        var privateRuns = await db.Runs.Where(r => r.OwnerId == user.Id && !r.SharedWithCourse && !submitted.Contains(r.Id) && (r.GroupId == null || !submittedGroups.Contains(r.GroupId))
                && r.Status != RunStatus.Queued && r.Status != RunStatus.Running)
            .Select(r => new { r.Id, r.Folder }).ToListAsync(ct);
        foreach (var run in privateRuns)
        {
            await db.Runs.Where(r => r.Id == run.Id).ExecuteDeleteAsync(ct);
            if (run.Folder.Length > 0 && Path.GetFileName(run.Folder) == run.Folder && Directory.Exists(Path.Combine(paths.RunsDirectory, run.Folder)))
                Directory.Delete(Path.Combine(paths.RunsDirectory, run.Folder), recursive: true);
        }
        await db.SeedGroups.Where(g => g.OwnerId == user.Id && !g.Runs.Any()).ExecuteDeleteAsync(ct);
        await db.CourseMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(ct);
        await db.UserRoles.Where(r => r.UserId == user.Id).ExecuteDeleteAsync(ct);
        await db.UserTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(ct);
        await db.UserLogins.Where(l => l.UserId == user.Id).ExecuteDeleteAsync(ct);
        await db.UserClaims.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(ct);

        var tombstone = $"deleted-{user.Id}@deleted.invalid";
        user.UserName = tombstone;
        user.Email = tombstone;
        user.DisplayName = "Former member";
        user.PasswordHash = null;
        user.PhoneNumber = null;
        user.TwoFactorEnabled = false;
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        user.DeletedAt = DateTimeOffset.UtcNow;
        user.LastSignInAt = null;
        (await users.UpdateAsync(user)).OrRefuse();
        // Every sign-in of the account, on every device, ends at its next check.
        await users.UpdateSecurityStampAsync(user);
        log.LogInformation("Account {UserId} was deleted by its owner ({Runs} private runs removed)", user.Id, privateRuns.Count);
    }

    /// <summary>The password of a change that needs it; failures count towards the account's lockout, as at sign-in.</summary>
    async Task ConfirmPasswordAsync(PortalUser user, string? password, string unchanged)
    {
        var result = await signIn.CheckPasswordSignInAsync(user, password ?? "", lockoutOnFailure: true);
        if (result.IsLockedOut) throw Refusal.TooMany($"Too many wrong passwords: the account is locked for a few minutes; {unchanged}.");
        if (!result.Succeeded) throw Refusal.Invalid($"That is not your current password; {unchanged}.");
    }

    async Task<Viewer> SignedInAsync()
    {
        var viewer = await currentUser.GetAsync();
        return viewer.IsAuthenticated ? viewer : throw Refusal.Forbidden("Sign in first.");
    }

    async Task<PortalUser> UserAsync()
    {
        var viewer = await SignedInAsync();
        return await users.FindByIdAsync(viewer.Id) is { DeletedAt: null } user ? user : throw Refusal.Forbidden("Sign in first.");
    }


    static async Task WriteJsonAsync(ZipArchive zip, string name, object value, CancellationToken ct)
    {
        await using var entry = await zip.CreateEntry(name).OpenAsync(ct);
        await JsonSerializer.SerializeAsync(entry, value, Json, ct);
    }

    /// <summary>A run's name as a piece of a file name: letters, digits and dashes, at most 40.</summary>
    static string Safe(string name)
    {
        var kept = new string([.. (name ?? "").Select(c => char.IsLetterOrDigit(c) ? c : '-')]).Trim('-');
        return kept.Length == 0 ? "run" : kept[..Math.Min(40, kept.Length)];
    }
}
