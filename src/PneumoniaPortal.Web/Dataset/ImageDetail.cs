using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>Everything the image detail shows about one image.</summary>
public sealed record ImageDetail(int Index, ImageRecord Image, IReadOnlyList<ImageTwin> Twins, IReadOnlyList<LabelHistoryEntry> LabelHistory)
{
    public bool TwinLabelsConflict => Twins.Any(t => t.Label != Image.Label);
    public bool TwinsCrossSplits => Twins.Any(t => t.Split != Image.Split);
}
