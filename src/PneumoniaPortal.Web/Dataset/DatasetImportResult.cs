namespace PneumoniaPortal.Web.Dataset;

/// <summary>What an import or a change of default did: the data set, its image count, and whether it is the portal's default.</summary>
public sealed record DatasetImportResult(int Id, string Name, int Images, string Fingerprint, bool IsDefault)
{
    public static DatasetImportResult Of(LoadedDataset dataset, bool isDefault) =>
        new(dataset.Id, dataset.Name, dataset.Catalog.Count, dataset.Catalog.Fingerprint, isDefault);
}
