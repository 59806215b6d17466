namespace PneumoniaPortal.Web;

public static class CompareExtensions
{
    /// <summary>Comparing 2 to 4 runs (issue 4).</summary>
    public static void AddCompare(this WebApplicationBuilder builder)
    {
    }

    public static void MapCompareEndpoints(this IEndpointRouteBuilder endpoints)
    {
    }
}
