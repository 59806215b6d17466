namespace PneumoniaPortal.Web.Data;

/// <summary>Every state a run can be in; docs/architecture.md, "A run's life", has the changes between them.</summary>
public enum RunStatus { Queued, Running, Succeeded, Failed, Cancelled, Interrupted }
