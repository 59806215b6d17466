namespace PneumoniaPortal.Web.Dataset;

/// <summary>What an import or a switch did: the data set, its image count, and whether every class now works on it.</summary>
public sealed record DatasetImportResult(int Id, string Name, int Images, string Fingerprint, bool Active)
{
    public static DatasetImportResult Of(ActiveDataset dataset, bool active) =>
        new(dataset.Id, dataset.Name, dataset.Catalog.Count, dataset.Catalog.Fingerprint, active);
}
