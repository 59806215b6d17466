namespace PneumoniaPortal.Web.Proposals;

/// <summary>One classmate's vote as the proposals page and the history show it.</summary>
public sealed record VoteView(string Voter, bool Agree, string? Comment, DateTimeOffset At);
