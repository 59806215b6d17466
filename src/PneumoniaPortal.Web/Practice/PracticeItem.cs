using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// One image to label, as a student sees it: an opaque item id and their own answer, nothing else (its path names
/// its label in the Kaggle layout).
/// </summary>
public sealed record PracticeItem(int ItemId, Label? MyAnswer);
