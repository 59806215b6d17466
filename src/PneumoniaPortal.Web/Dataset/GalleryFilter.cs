using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>What the explorer shows: null means "any".</summary>
public sealed record GalleryFilter(Split? Split = null, Label? Label = null, string? Subtype = null, bool DuplicatesOnly = false, string Search = "")
{
    /// <summary>Whether the image matches, as this viewer sees the data set ("duplicates" are copies the viewer may see).</summary>
    public bool Matches(VisibleDataset visible, int index)
    {
        var image = visible.Dataset.Catalog.Images[index];
        return (Split is not { } split || image.Split == split)
               && (Label is not { } label || image.Label == label)
               && (string.IsNullOrEmpty(Subtype) || image.Subtype == Subtype)
               && (!DuplicatesOnly || visible.HasTwin(index))
               && (string.IsNullOrWhiteSpace(Search) || image.RelativePath.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
