namespace PneumoniaPortal.Web.Compare;

// The framework's Results, declared inside the namespace so that it wins over the Results feature's namespace.
using Results = Microsoft.AspNetCore.Http.Results;

public static class CompareEndpoints
{
    public static void MapCompareEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // The comparison the page shows, for scripts and tests; it checks what the caller may see. Its problems are warnings
        // beside a comparison made, or why none could be.
        var api = endpoints.MapGroup("/api/runs").RequireAuthorization();
        api.MapGet("/compare", async (RunComparisonService compare, string? ids) =>
        {
            var outcome = await compare.CompareAsync(RunComparisonService.ParseIds(ids));
            if (outcome.Comparison is not { } c) return Refusal.Answer(RefusalKind.Invalid, outcome.Problems);
            return Results.Ok(new
            {
                runs = c.Runs.Select((r, i) => new { r.Run.Id, r.Run.Name, Owner = r.OwnerName, r.Run.DatasetId, Comparable = c.Comparable[i] }),
                metrics = c.Metrics.Select(m => new { m.Name, Better = m.Better.ToString(), m.Values, m.IsBest }),
                settings = c.DifferingSettings.Select(s => new { s.Field, s.Values }),
                c.SharedImages,
                disputed = c.Disputed.Count,
                allWrong = c.AllWrong.Count,
                // Every pair of comparable runs on their shared test images: DeLong's test of B - A, McNemar's of the decisions.
                pairs = c.Pairs.Select(p => new
                {
                    a = p.A.Run.Id,
                    b = p.B.Run.Id,
                    auc = new
                    {
                        difference = p.Comparison.Auc.Difference, ci = new[] { p.Comparison.Auc.Lower, p.Comparison.Auc.Upper },
                        p = p.Comparison.Auc.Defined ? p.Comparison.Auc.P : (double?)null, defined = p.Comparison.Auc.Defined,
                    },
                    mcnemar = new { onlyA = p.Comparison.Decisions.OnlyA, onlyB = p.Comparison.Decisions.OnlyB, p = p.Comparison.Decisions.P },
                    sentences = new[] { p.AucSentence, p.DecisionSentence },
                }),
                problems = outcome.Problems,
            });
        });
    }
}
