using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Web.Runs;

/// <summary>What the set-up form asks for when the student presses Start.</summary>
/// <param name="LabelVersion">The data set's label version to train on; null = its newest.</param>
/// <param name="Seeds">
/// 1 for one run; 2 to <see cref="MaxSeeds"/> queue that many runs as one seed group, with the seeds
/// Config.Training.Seed, Seed + 1, and so on (the seed also draws the validation split).
/// </param>
public sealed record StartRunRequest(string Name, string Preset, RunConfig Config, int? CourseId = null, int? LabelVersion = null, int Seeds = 1)
{
    public const int MaxSeeds = 5;
}
