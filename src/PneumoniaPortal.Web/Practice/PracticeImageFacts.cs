using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>One image of a practice set as the agreement math needs it: the gold label (null for a doubtful image) and the current label.</summary>
public sealed record PracticeImageFacts(int ItemId, Label? Gold, Label? Current);
