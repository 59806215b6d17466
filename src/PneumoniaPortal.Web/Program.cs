using PneumoniaPortal.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalData();
builder.AddPortalIdentity();
builder.AddDatasets();
builder.AddRunSetup();
builder.AddTraining();
builder.AddRunAnalysis();
builder.AddActivations();
builder.AddCompare();
builder.AddLeaderboards();
builder.AddPortalUi();

var app = builder.Build();
await app.PreparePortalAsync();
app.UsePortal();
app.Run();

/// <summary>Visible to WebApplicationFactory in the host tests.</summary>
public partial class Program;
