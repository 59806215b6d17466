using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// What the reader study's model says about one image on the second read: its call at its threshold, and whether the
/// call is clear or narrow (its probability within <see cref="NarrowWithin"/> of the threshold). Not the probability
/// itself: the model is a run shared with the class, whose predictions download lists every test image's probability
/// with its path and label, so an exact value would name the image.
/// </summary>
public sealed record PracticeHelp(int ItemId, string Model, Label Call, bool Narrow)
{
    public const double NarrowWithin = 0.15;
}
