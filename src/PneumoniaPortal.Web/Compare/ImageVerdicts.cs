using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Compare;

/// <summary>One image of the test split present in every compared run, with each run's verdict on it.</summary>
public sealed record ImageVerdicts(string RelativePath, Label Label, string? ImageId, IReadOnlyList<ImageVerdict> Runs)
{
    public bool AnyRight => Runs.Any(r => r.Correct);
    public bool AnyWrong => Runs.Any(r => !r.Correct);
}
