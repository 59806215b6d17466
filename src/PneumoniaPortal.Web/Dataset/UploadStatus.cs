namespace PneumoniaPortal.Web.Dataset;

/// <summary>Where an upload stands: bytes the server holds of the file's size, and the piece size to send.</summary>
public sealed record UploadStatus(string Id, string FileName, long Size, long Received, int ChunkBytes);
