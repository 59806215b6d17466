using PneumoniaPortal.Web.Relabelling;

namespace PneumoniaPortal.Web;

public static class RelabellingExtensions
{
    /// <summary>Relabelling (issue 5): the doubtful queue, proposals, votes, decisions, label versions, blind labelling practice.</summary>
    public static void AddRelabelling(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RelabelService>();
        builder.Services.AddScoped<DoubtfulQueueService>();
        builder.Services.AddScoped<BlindLabellingService>();
    }

    public static void MapRelabellingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapBlindPracticeEndpoints();
    }
}
