using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.Web.RunSetup;

/// <summary>
/// Builds the real <see cref="PneumoniaNet"/> for a spec on the CPU and summarises it; results are kept per spec,
/// so going back to a spec seen before (undoing an edit, switching presets) is instant.
/// </summary>
public sealed class ArchitectureSummaryService(IOptions<TrainingOptions> options)
{
    const int MaxCached = 64;
    /// <summary>The biggest network the summary builds (about 200 MB of weights); bigger ones are counted, not built.</summary>
    public const double MaxBuiltWeights = 50_000_000;
    // One network built at a time on the web node, however many students edit at once.
    static readonly SemaphoreSlim Building = new(1, 1);
    readonly ConcurrentDictionary<string, ArchitectureSummary> _cache = new();

    public async Task<ArchitectureSummary> SummarizeAsync(ArchitectureSpec spec, CancellationToken ct = default)
    {
        var problems = spec.Validate();
        if (problems.Count > 0) return new ArchitectureSummary([], 0, problems);
        // Counted first, built only if it fits: the form must not let anyone make the web server allocate 90 GB.
        var weights = NetworkCost.Of(spec).Parameters;
        if (weights * 4 > options.Value.MaxBatchMemoryMiB * (1 << 20))
            return new ArchitectureSummary([], (long)Math.Min(weights, long.MaxValue),
                [$"This network has {weights:N0} weights (about {weights * 4 / (1 << 30):N1} GiB): too big to build or train on this server, " +
                 $"which allows {options.Value.MaxBatchMemoryMiB:N0} MiB per batch. Use fewer or narrower blocks, smaller kernels, or fewer dense units."]);
        if (weights > MaxBuiltWeights)
            return new ArchitectureSummary([], (long)weights, [],
                "Counted, not built: too many weights to list the layers here. The run can still start if its estimate is within the server's limits.");
        // Records compare lists by reference, so the cache keys on the spec's content.
        var key = JsonSerializer.Serialize(spec with { Name = "" });
        if (_cache.TryGetValue(key, out var known)) return known;
        await Building.WaitAsync(ct);
        ArchitectureSummary summary;
        try { summary = await Task.Run(() => Build(spec), ct); }
        finally { Building.Release(); }
        if (_cache.Count >= MaxCached) _cache.Clear();
        return _cache[key] = summary;
    }

    static ArchitectureSummary Build(ArchitectureSpec spec)
    {
        try
        {
            var summary = LayerSummarizer.Summarize(spec);
            return new ArchitectureSummary(summary.Layers, summary.TotalParameters, []);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return new ArchitectureSummary([], 0, [$"This network cannot be built: {e.Message}"]);
        }
    }
}
