namespace PneumoniaPortal.Web;

public static class LeaderboardsExtensions
{
    /// <summary>Class leaderboards scored on held-back test images (issue 4).</summary>
    public static void AddLeaderboards(this WebApplicationBuilder builder)
    {
    }

    public static void MapLeaderboardsEndpoints(this IEndpointRouteBuilder endpoints)
    {
    }
}
