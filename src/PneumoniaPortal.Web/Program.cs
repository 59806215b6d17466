using PneumoniaPortal.Web;

WebApplication? app = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPortalData();
    builder.AddHttpSecurity();
    builder.AddApiRequests();
    builder.AddPortalIdentity();
    builder.AddDatasets();
    builder.AddRunSetup();
    builder.AddTraining();
    builder.AddRunAnalysis();
    builder.AddActivations();
    builder.AddCompare();
    builder.AddLeaderboards();
    builder.AddRelabelling();
    builder.AddPortalUi();
    builder.AddPortalHealth();
    builder.AddScaleOut();
    app = builder.Build();
    await app.PreparePortalAsync();
}
catch (PortalStartupException e)
{
    app?.Logger.LogCritical(e.InnerException, "The portal cannot start: {Problem}", e.Message);
    Console.Error.WriteLine($"PneumoniaPortal cannot start: {e.Message}");
    return 2;
}
app.UsePortal();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the host tests.</summary>
public partial class Program;
