using System.Security.Cryptography;
using System.Text;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>
/// How pages and APIs name an image: 20 hex characters, an HMAC of the image's path under the data set's own secret key
/// (<see cref="Data.ImportedDataset.ImageIdKey"/>). Ids reveal no order (a gap between two ids says nothing), and
/// nobody can work out the id of an image they were not shown, so an id a viewer may not see cannot even be asked
/// for; it would answer like one that names nothing. Positions in the catalog stay on the server.
/// </summary>
public static class ImageIds
{
    public const int Length = 20;

    public static string Of(byte[] key, string relativePath) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(relativePath)))[..Length];

    /// <summary>A new data set's secret key, as stored (hex of 32 random bytes).</summary>
    public static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="id"/> could be an image id at all (checked before any lookup).</summary>
    public static bool IsWellFormed(string? id) => id is { Length: Length } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>The thumbnail of an image, for an img tag.</summary>
    public static string ThumbUrl(string id) => $"api/dataset/images/{id}/thumb";

    /// <summary>The original file of an image.</summary>
    public static string ImageUrl(string id) => $"api/dataset/images/{id}";
}
