using PneumoniaPortal.Core.Relabelling;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>One image in the doubtful queue, addressed in the active data set.</summary>
public sealed record DoubtfulEntry(int Index, DoubtfulImage Doubt);
