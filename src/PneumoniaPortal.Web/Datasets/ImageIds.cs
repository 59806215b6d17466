using System.Security.Cryptography;
using System.Text;

namespace PneumoniaPortal.Web.Datasets;

/// <summary>One image of the catalog as <c>GET /api/dataset/images</c> lists it; file facts and held-back marks for staff only.</summary>
public sealed record CatalogEntry(string Id, string Path, Core.Dataset.Split Split, Core.Dataset.Label Label, string Subtype, int Width, int Height,
    string? Md5, long? Bytes, string? HeldBackFor);

/// <summary>
/// How pages and APIs name an image: 20 hex characters hashed from the data set and the image's path, so ids reveal no
/// order (a gap between two ids says nothing) and an id a viewer may not see answers exactly like one that names
/// nothing. Positions in the catalog stay on the server.
/// </summary>
public static class ImageIds
{
    public const int Length = 20;

    public static string Of(int datasetId, string relativePath) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{datasetId}\n{relativePath}")))[..Length];

    /// <summary>Whether <paramref name="id"/> could be an image id at all (checked before any lookup).</summary>
    public static bool IsWellFormed(string? id) => id is { Length: Length } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>The thumbnail of an image, for an img tag.</summary>
    public static string ThumbUrl(string id) => $"api/dataset/images/{id}/thumb";

    /// <summary>The original file of an image.</summary>
    public static string ImageUrl(string id) => $"api/dataset/images/{id}";
}
