using System.Text;
using PneumoniaPortal.Core;

namespace PneumoniaPortal.Web.Proposals;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

/// <summary>
/// Proposals, votes, decisions, label history and the exports under /api/relabel, for scripts and tests. A refusal
/// (403 not allowed, 404 unknown or not visible, 409 already decided) is answered by <see cref="ApiRequestExtensions.UseApiBadRequests"/>.
/// </summary>
public static class ProposalsEndpoints
{
    public static void MapProposalsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/relabel").RequireAuthorization();
        api.MapGet("/proposals", async (RelabelService relabel, string? show, CancellationToken ct) =>
        {
            var filter = ProposalFilter.Open;
            if (show is not null && !EnumNames.TryParse(show, out filter))
                return Refusal.Answer(RefusalKind.Invalid, EnumNames.Problem<ProposalFilter>(show, "show"));
            return Results.Ok(await relabel.ListAsync(filter, ct));
        });
        api.MapGet("/proposals/{id:int}", async (RelabelService relabel, int id, CancellationToken ct) =>
            await relabel.GetAsync(id, ct) is { } view ? Results.Ok(view) : Results.NotFound());
        api.MapPost("/proposals", async (RelabelService relabel, ProposeRelabel request, CancellationToken ct) =>
            Results.Ok(new { id = await relabel.ProposeAsync(request, ct) }));
        api.MapPost("/proposals/{id:int}/vote", async (RelabelService relabel, int id, CastVote vote, CancellationToken ct) =>
        {
            await relabel.VoteAsync(id, vote, ct);
            return Results.Ok(new { done = true, labelVersion = (int?)null });
        });
        api.MapPost("/proposals/{id:int}/decision", async (RelabelService relabel, int id, DecideProposal decision, CancellationToken ct) =>
            Results.Ok(new { done = true, labelVersion = await relabel.DecideAsync(id, decision, ct) }));
        api.MapGet("/images/{id}/history", async (RelabelService relabel, string id, CancellationToken ct) =>
            await relabel.HistoryAsync(id, ct) is { Count: > 0 } history ? Results.Ok(history) : Results.NotFound());
        api.MapGet("/labels.csv", async (RelabelService relabel, CancellationToken ct) =>
            Results.File(Encoding.UTF8.GetBytes(await relabel.LabelsCsvAsync(ct)), "text/csv; charset=utf-8", "labels.csv"));
        api.MapGet("/changes.csv", async (RelabelService relabel, CancellationToken ct) =>
            Results.File(Encoding.UTF8.GetBytes(await relabel.ChangesCsvAsync(ct)), "text/csv; charset=utf-8", "label-changes.csv"));
    }
}
