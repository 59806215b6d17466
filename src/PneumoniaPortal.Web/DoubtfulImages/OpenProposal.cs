using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>The open proposal on an image, if any.</summary>
public sealed record OpenProposal(int Id, Label Label, string Subtype, string Reason, DateTimeOffset CreatedAt);
