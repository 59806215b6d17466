namespace PneumoniaPortal.Web.Proposals;

/// <summary>The proposals feature: relabel proposals, votes, decisions, label versions and label exports.</summary>
public static class ProposalsFeature
{
    public static void AddProposals(this WebApplicationBuilder builder) => builder.Services.AddScoped<RelabelService>();
}
