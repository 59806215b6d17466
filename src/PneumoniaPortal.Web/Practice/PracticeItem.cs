using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// One image to label, as a student sees it: an opaque item id and their own answers, nothing else (its path names
/// its label in the Kaggle layout). <see cref="MyAssisted"/> is their answer on the second read with the model's help;
/// <see cref="Rereadable"/> says the model has a probability for it, so it is part of the second read.
/// </summary>
public sealed record PracticeItem(int ItemId, Label? MyAnswer, Label? MyAssisted = null, bool Rereadable = false);
