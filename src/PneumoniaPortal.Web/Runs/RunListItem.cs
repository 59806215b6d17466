using PneumoniaPortal.Web.Data;

namespace PneumoniaPortal.Web.Runs;

/// <summary>A row of "My runs"; <see cref="GroupId"/> names the seed group it was started in.</summary>
public sealed record RunListItem(
    int Id, string Name, string Owner, string Preset, RunStatus Status, int EpochsDone, int EpochsPlanned,
    double? BestValAccuracy, double? BestValAuc, double? BestValLoss, int BestEpoch,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, bool IsMine, int? GroupId = null, string? GroupName = null);
