namespace PneumoniaPortal.Web.Runs;

/// <summary>Names this worker on the runs it trains (machine, process, and which portal host in it), so a node can tell whose heartbeat stopped.</summary>
public sealed class WorkerIdentity
{
    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";
}
