using PneumoniaPortal.Training.Models;

namespace PneumoniaPortal.Web.RunSetup;

/// <summary>
/// The layers of a network the way Keras' <c>model.summary()</c> lists them, or why it cannot be built. A network too
/// big to build on the web node has its weights counted and no layers, and <see cref="Note"/> says why.
/// </summary>
public sealed record ArchitectureSummary(IReadOnlyList<LayerRow> Layers, long TotalParameters, IReadOnlyList<string> Problems, string? Note = null)
{
    public bool IsValid => Problems.Count == 0;
}
