namespace PneumoniaPortal.Web.Dataset;

/// <summary>An upload about to start: the file's name and size in bytes.</summary>
public sealed record BeginUploadRequest(string FileName, long Size);
