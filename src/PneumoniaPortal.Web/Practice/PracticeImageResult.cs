using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>How the class answered one image (its id in the set's data set, for thumbnails), most disagreement first; <see cref="MyAnswer"/> is the viewer's.</summary>
public sealed record PracticeImageResult(int ItemId, string ImageId, string RelativePath, Label? CurrentLabel, Label? GoldLabel, int Normal, int Pneumonia,
    Label? Majority, double Disagreement, Label? MyAnswer);
