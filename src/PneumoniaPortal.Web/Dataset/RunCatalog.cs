using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>The images a run trains on (<see cref="DatasetService.OpenForRunAsync"/>); disposing closes what was opened for it alone.</summary>
public sealed class RunCatalog(ImageCatalog catalog, params ImageCatalog?[] owned) : IDisposable
{
    public ImageCatalog Catalog { get; } = catalog;

    public void Dispose()
    {
        foreach (var opened in owned) opened?.Dispose();
    }
}
