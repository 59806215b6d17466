namespace PneumoniaPortal.Web.Results;

/// <summary>A file a viewer takes away from a run: its name on their disk, its type and how to write it.</summary>
public sealed record RunDownload(string FileName, string ContentType, Func<Stream, CancellationToken, Task> WriteAsync);
