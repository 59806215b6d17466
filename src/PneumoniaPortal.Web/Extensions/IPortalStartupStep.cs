namespace PneumoniaPortal.Web;

/// <summary>Work done once at start after the database is ready (load the data set, recover interrupted runs).</summary>
public interface IPortalStartupStep
{
    Task RunAsync(CancellationToken ct);
}
