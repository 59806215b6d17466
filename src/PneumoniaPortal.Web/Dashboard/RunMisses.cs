using System.Collections.Concurrent;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Training;

namespace PneumoniaPortal.Web.Dashboard;

/// <summary>
/// The test images each finished run calls wrong at its own threshold, read from its folder once and kept for the
/// life of the process (a finished run's predictions never change). One per process; the class view asks it. Which
/// of the images a viewer may see (held back or not) is decided when asked, not kept here.
/// </summary>
public sealed class RunMisses(PortalPaths paths, ILogger<RunMisses> log)
{
    readonly ConcurrentDictionary<(int RunId, string Folder), Lazy<string[]?>> _missed = new();

    /// <summary>The relative paths of the run's missed test images; null when its folder cannot be read (it is then left out).</summary>
    public string[]? Of(int runId, string folder)
    {
        var missed = _missed.GetOrAdd((runId, folder), key => new Lazy<string[]?>(() => Read(key.RunId, key.Folder))).Value;
        // A folder that could not be read is tried again next time (it may be on a share that was away).
        if (missed is null) _missed.TryRemove((runId, folder), out _);
        return missed;
    }

    string[]? Read(int runId, string folder)
    {
        try
        {
            var run = new RunFolder(Path.Combine(paths.RunsDirectory, folder));
            var threshold = run.ReadRecord().Test?.Threshold.Threshold;
            if (threshold is null) return null;
            return run.ReadPredictions()
                .Where(p => p.Split == "test" && (p.Probability >= threshold ? Label.Pneumonia : Label.Normal) != p.Label)
                .Select(p => p.RelativePath).ToArray();
        }
        catch (Exception e)
        {
            // Whatever went wrong, this run is left out and tried again next time; the class view still shows.
            log.LogWarning(e, "Run {Run}'s predictions could not be read for the class view", runId);
            return null;
        }
    }
}
