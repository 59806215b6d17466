namespace PneumoniaPortal.Web.Proposals;

/// <summary>A vote: agree or disagree with the proposed label, with an optional comment.</summary>
public sealed record CastVote(bool Agree, string? Comment = null);
