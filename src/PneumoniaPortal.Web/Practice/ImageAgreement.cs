using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// How the class answered one image. <see cref="Disagreement"/> is 0 when everyone agrees with the label and 1 when
/// the class is split evenly or everyone chose the other label: the larger of the evenness of the split
/// (2 × minority share) and the share of answers against the current label.
/// </summary>
public sealed record ImageAgreement(int ItemId, int Normal, int Pneumonia, Label? Gold, Label? Current)
{
    public int Total => Normal + Pneumonia;
    /// <summary>What most students chose, or null when they are evenly split or nobody answered.</summary>
    public Label? Majority => Normal == Pneumonia ? null : Normal > Pneumonia ? Label.Normal : Label.Pneumonia;
    public double Split => Total == 0 ? 0 : 2.0 * Math.Min(Normal, Pneumonia) / Total;
    public double AgainstLabel => Total == 0 || Current is null ? 0 : (double)(Current == Label.Normal ? Pneumonia : Normal) / Total;
    public double Disagreement => Math.Max(Split, AgainstLabel);
}
