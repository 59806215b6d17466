namespace PneumoniaPortal.Web.Classes;

/// <summary>A class's own limits for its students, within the portal's (null: the portal's limit; for minutes, no weekly limit).</summary>
public sealed record ClassQuotas(int? MaxQueuedRunsPerStudent, int? MaxEpochsPerRun, double? MaxComputeMinutesPerWeek);
