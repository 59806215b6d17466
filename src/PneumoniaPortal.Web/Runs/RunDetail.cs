using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>What the run page shows besides the live charts.</summary>
public sealed record RunDetail(
    TrainingRun Run, string OwnerName, bool CanControl, int? QueuePosition, int RunningAhead, IReadOnlyList<LiveEpoch> History);
