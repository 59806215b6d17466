using PneumoniaPortal.Imaging;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>Configuration section "Dataset".</summary>
public sealed class DatasetOptions
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
}
