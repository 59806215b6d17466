using PneumoniaPortal.Imaging;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>Configuration section "Dataset".</summary>
public sealed class DatasetOptions : IValidatedOptions
{
    public const string Section = "Dataset";

    /// <summary>A folder or .zip in the Kaggle layout to load at start instead of the shipped sample.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Folders on the server that admins may import data sets from (a folder or .zip inside one of them, its real path
    /// after every symbolic link); default <c>imports</c> in the data folder. A path outside them is not read or said to
    /// exist. Links inside an imported folder are followed like its files: put only what you mean to import there.
    /// </summary>
    public string[] ImportRoots { get; set; } = [];

    /// <summary>Limits on an uploaded or imported .zip (entries, unpacked bytes, compression ratio).</summary>
    public ZipLimits ZipLimits { get; set; } = new();

    /// <summary>The largest .zip an upload may be, in bytes (default 8 GiB: Kaggle's archive holds the set twice).</summary>
    public long MaxUploadBytes { get; set; } = 8L << 30;

    /// <summary>The size of one piece of an upload, in bytes (default 32 MiB); a dropped connection costs at most one.</summary>
    public int UploadChunkBytes { get; set; } = 32 << 20;

    public IEnumerable<string> Validate()
    {
        if (MaxUploadBytes < 1 << 20) yield return $"Dataset:MaxUploadBytes must be at least 1 MiB (1048576); it is {MaxUploadBytes}.";
        if (UploadChunkBytes is < 64 << 10 or > 256 << 20) yield return $"Dataset:UploadChunkBytes must be 64 KiB to 256 MiB; it is {UploadChunkBytes}.";
    }
}
