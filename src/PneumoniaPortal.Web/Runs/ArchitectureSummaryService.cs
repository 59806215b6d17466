using System.Collections.Concurrent;
using System.Text.Json;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Training.Native;

namespace PneumoniaPortal.Web.Runs;

/// <summary>The layers of a network the way Keras' <c>model.summary()</c> lists them, or why it cannot be built.</summary>
public sealed record ArchitectureSummary(IReadOnlyList<LayerRow> Layers, long TotalParameters, IReadOnlyList<string> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Builds the real <see cref="PneumoniaNet"/> for a spec on the CPU and summarises it; results are kept per spec,
/// so going back to a spec seen before (undoing an edit, switching presets) is instant.
/// </summary>
public sealed class ArchitectureSummaryService
{
    const int MaxCached = 64;
    readonly ConcurrentDictionary<string, ArchitectureSummary> _cache = new();

    public async Task<ArchitectureSummary> SummarizeAsync(ArchitectureSpec spec, CancellationToken ct = default)
    {
        var problems = spec.Validate();
        if (problems.Count > 0) return new ArchitectureSummary([], 0, problems);
        // Records compare lists by reference, so the cache keys on the spec's content.
        var key = JsonSerializer.Serialize(spec with { Name = "" });
        if (_cache.TryGetValue(key, out var known)) return known;
        var summary = await Task.Run(() => Build(spec), ct);
        if (_cache.Count >= MaxCached) _cache.Clear();
        return _cache[key] = summary;
    }

    static ArchitectureSummary Build(ArchitectureSpec spec)
    {
        TorchRuntime.EnsureReady();
        try
        {
            using var net = new PneumoniaNet(spec);
            var summary = LayerSummarizer.Summarize(net);
            return new ArchitectureSummary(summary.Layers, summary.TotalParameters, []);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            return new ArchitectureSummary([], 0, [$"This network cannot be built: {e.Message}"]);
        }
    }
}
