using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>One student's blind answer.</summary>
public sealed record PracticeVote(int ItemId, string UserId, Label Label);
