namespace PneumoniaPortal.Web.Data;

/// <summary>A data set the portal knows: the shipped sample, one named in configuration, or one imported in the UI.</summary>
public sealed class ImportedDataset
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Folder or .zip in the Kaggle/Mendeley layout.</summary>
    public string Path { get; set; } = "";
    public string Origin { get; set; } = "";
    public int ImageCount { get; set; }
    public string Fingerprint { get; set; } = "";
    /// <summary>
    /// The portal's default data set: the one classes that never chose their own work on, and people in no class see.
    /// One row at a time (<see cref="Web.Dataset.DatasetService.MakeDefaultAsync"/>).
    /// </summary>
    public bool IsDefault { get; set; }
    public string? ImportedById { get; set; }
    /// <summary>
    /// The secret its images' ids are made with (<see cref="Dataset.ImageIds"/>, hex); never shown to anyone. Made with
    /// the row, so nodes starting together never make two.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ImageIdKey { get; set; } = Dataset.ImageIds.NewKey();
    public DateTimeOffset ImportedAt { get; set; } = DateTimeOffset.UtcNow;
}
