namespace PneumoniaPortal.Web;

public static class TrainingExtensions
{
    public static void AddTraining(this WebApplicationBuilder builder)
    {
    }

    public static void MapTrainingEndpoints(this IEndpointRouteBuilder endpoints)
    {
    }
}
