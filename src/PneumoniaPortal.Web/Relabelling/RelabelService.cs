using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Datasets;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Relabelling;

/// <summary>What a student proposes for one image of the active data set.</summary>
public sealed record ProposeRelabel(int ImageIndex, Label Label, string? Subtype, string Reason);

/// <summary>The proposal's id, or why it was not made.</summary>
public sealed record ProposeResult(int? ProposalId, string? Problem)
{
    public bool Made => ProposalId is not null;
}

/// <summary>
/// The reviewed relabelling workflow (DESIGN.md "Relabelling"): students propose, classmates vote, instructors decide;
/// an acceptance makes a new label version. Every method checks the viewer on the server.
/// </summary>
public sealed partial class RelabelService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CurrentUser currentUser,
    DatasetService datasets,
    DatasetVisibility visibility,
    ILogger<RelabelService> log)
{
    public const int MinReasonLength = 10, MaxReasonLength = 2000;

    public async Task<ProposeResult> ProposeAsync(ProposeRelabel request, CancellationToken ct = default)
    {
        var viewer = await currentUser.GetAsync();
        if (!viewer.IsAuthenticated) return new(null, "Sign in to propose a label.");
        var active = await datasets.GetActiveAsync(ct);
        if (request.ImageIndex < 0 || request.ImageIndex >= active.Catalog.Count || !await visibility.CanSeeAsync(viewer, active, request.ImageIndex, ct))
            return new(null, $"Image {request.ImageIndex} is not an image of the data set you may see.");
        var image = active.Catalog.Images[request.ImageIndex];
        var reason = (request.Reason ?? "").Trim();
        if (reason.Length < MinReasonLength || reason.Length > MaxReasonLength)
            return new(null, $"Say why in {MinReasonLength} to {MaxReasonLength} characters (what you see in the image, which evidence convinced you).");
        var subtype = NormalSubtype(request.Label, request.Subtype, image.Subtype);
        if (subtype is null)
            return new(null, "A PNEUMONIA subtype is bacteria or virus; NORMAL has none.");
        if (request.Label == image.Label && subtype == image.Subtype)
            return new(null, $"The image is already labelled {Name(image.Label)} ({image.Subtype}); propose a different label or subtype.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.RelabelProposals.Where(p => p.DatasetId == active.Id && p.RelativePath == image.RelativePath && p.Status == ProposalStatus.Open)
            .Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
        if (open is { } id)
            return new(null, $"This image already has an open proposal (#{id}); vote on it instead of proposing again.");
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
        await db.SaveChangesAsync(ct);
        log.LogInformation("{User} proposed {Label}/{Subtype} for {Path} (proposal {Id})", viewer.Name, proposal.ProposedLabel, subtype, image.RelativePath, proposal.Id);
        return new(proposal.Id, null);
    }

    /// <summary>The subtype to store, or null when it does not fit the label.</summary>
    internal static string? NormalSubtype(Label label, string? asked, string current)
    {
        var s = string.IsNullOrWhiteSpace(asked) ? LabelVersions.DefaultSubtype(label, current) : asked.Trim().ToLowerInvariant();
        return label == Label.Normal ? (s == "normal" ? s : null) : (s is "bacteria" or "virus" ? s : null);
    }

    internal static string Name(Label label) => label.ToString().ToUpperInvariant();
}
