namespace PneumoniaPortal.Core.Dataset;

public enum Split { Train, Val, Test }

/// <summary>The two classes; the numeric value is the model's target (PNEUMONIA is the positive class).</summary>
public enum Label { Normal = 0, Pneumonia = 1 }

/// <summary>One image of a data set as found on disk or in a zip, addressed by its path relative to the data set root.</summary>
/// <param name="RelativePath">Forward-slash path under the data set root, e.g. <c>train/NORMAL/IM-0115-0001.jpeg</c>.</param>
/// <param name="Subtype"><c>normal</c>, <c>bacteria</c> or <c>virus</c>, read from the file name as in the Kaggle set.</param>
public sealed record ImageRecord(
    string RelativePath,
    Split Split,
    Label Label,
    string Subtype,
    int Width,
    int Height,
    string Md5,
    long Bytes);

/// <summary>A file that could not be used (corrupt, not an image, outside the layout), with the reason in words.</summary>
public sealed record CatalogProblem(string RelativePath, string Message);
