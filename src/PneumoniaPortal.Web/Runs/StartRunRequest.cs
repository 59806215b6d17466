using PneumoniaPortal.Core.Settings;

namespace PneumoniaPortal.Web.Runs;

/// <summary>What the set-up form asks for when the student presses Start.</summary>
/// <param name="LabelVersion">The data set's label version to train on; null = its newest.</param>
public sealed record StartRunRequest(string Name, string Preset, RunConfig Config, int? CourseId = null, int? LabelVersion = null);
