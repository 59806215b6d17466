namespace PneumoniaPortal.Web.Dataset;

/// <summary>One image of the catalog as <c>GET /api/dataset/images</c> lists it; file facts and held-back marks for staff only.</summary>
public sealed record CatalogEntry(string Id, string Path, Core.Dataset.Split Split, Core.Dataset.Label Label, string Subtype, int Width, int Height,
    string? Md5, long? Bytes, string? HeldBackFor);
