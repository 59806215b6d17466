using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.RunSetup;

/// <summary>An image of the viewer's data set a student can preview augmentations on.</summary>
public sealed record PreviewChoice(string RelativePath, Label Label)
{
    public string Title => $"{Label.ToString().ToUpperInvariant()} · {Path.GetFileName(RelativePath)}";
}
