using PneumoniaPortal.Core.Relabelling;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>One image in the doubtful queue, addressed in its data set.</summary>
public sealed record DoubtfulEntry(int Index, DoubtfulImage Doubt);
