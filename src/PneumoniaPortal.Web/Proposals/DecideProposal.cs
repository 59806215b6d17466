using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Proposals;

/// <summary>
/// An instructor's decision. <see cref="Fix"/> accepts a change to <see cref="Label"/>/<see cref="Subtype"/> instead
/// of the proposed one; the comment is required for every decision (the class reads it in the image's history).
/// </summary>
public sealed record DecideProposal(ReviewDecision Decision, string Comment, Label? Label = null, string? Subtype = null);
