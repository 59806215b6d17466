namespace PneumoniaPortal.Web.Dataset;

/// <summary>A data set as <c>GET /api/dataset/known</c> lists it for staff: never its image-id key, path or importer.</summary>
public sealed record KnownDataset(int Id, string Name, int ImageCount, string Origin, bool IsDefault, DateTimeOffset ImportedAt)
{
    public static KnownDataset Of(Data.ImportedDataset row) => new(row.Id, row.Name, row.ImageCount, row.Origin, row.IsDefault, row.ImportedAt);
}
