namespace PneumoniaPortal.Web.Leaderboards;

/// <summary>The leaderboards feature: class leaderboards scored on held-back test images.</summary>
public static class LeaderboardsFeature
{
    public static void AddLeaderboards(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HeldOutImages>();
        builder.Services.AddScoped<LeaderboardService>();
        builder.Services.AddSingleton<LeaderboardUncertainty>();
        builder.Services.AddSingleton<IPortalStartupStep, HeldBackBackfill>();
    }
}
