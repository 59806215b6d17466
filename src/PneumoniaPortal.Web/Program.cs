using PneumoniaPortal.Web;
using PneumoniaPortal.Web.Account;
using PneumoniaPortal.Web.Activations;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Compare;
using PneumoniaPortal.Web.Dashboard;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.DoubtfulImages;
using PneumoniaPortal.Web.Groups;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.People;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Results;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.RunSetup;

WebApplication? app = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    // "--role web" on the command line is Portal:Role, below every other source of it (PortalOptions).
    if (builder.Configuration["role"] is { } role)
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = [new("Portal:Role", role)] });
    builder.AddPortalData();
    builder.AddHttpSecurity();
    builder.AddApiRequests();
    builder.AddPortalIdentity();
    builder.AddAccount();
    // The features, in the menu's order.
    builder.AddDataset();
    builder.AddRunSetup();
    builder.AddRuns();
    builder.AddResults();
    builder.AddCompare();
    builder.AddGroups();
    builder.AddActivations();
    builder.AddLeaderboards();
    builder.AddDoubtfulImages();
    builder.AddProposals();
    builder.AddPractice();
    builder.AddClasses();
    builder.AddDashboard();
    builder.AddPeople();
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
