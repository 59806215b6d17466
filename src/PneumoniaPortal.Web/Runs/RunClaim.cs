using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>A worker's hold on the run it trains: the run as it was claimed, the claim's number and the worker's name.</summary>
public sealed record RunClaim(TrainingRun Run, int Number, string Worker);
