namespace PneumoniaPortal.Core.Dataset;

/// <summary>
/// The folder or zip a user gave cannot be read as a chest X-ray data set at all (missing, not a zip, no
/// train/test/val layout). The message is written for the student who picked the file.
/// Single unreadable images are not exceptions: they become <see cref="CatalogProblem"/>s.
/// </summary>
public sealed class DatasetLayoutException : Exception
{
    public DatasetLayoutException(string message) : base(message) { }

    public DatasetLayoutException(string message, Exception inner) : base(message, inner) { }
}
