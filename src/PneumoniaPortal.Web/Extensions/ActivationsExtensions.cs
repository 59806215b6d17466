namespace PneumoniaPortal.Web;

public static class ActivationsExtensions
{
    /// <summary>Layer-activation mosaics, Grad-CAM and predictions on uploaded images (issue 4).</summary>
    public static void AddActivations(this WebApplicationBuilder builder)
    {
    }

    public static void MapActivationsEndpoints(this IEndpointRouteBuilder endpoints)
    {
    }
}
