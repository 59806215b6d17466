using Microsoft.Extensions.Options;
using PneumoniaPortal.Training;
using PneumoniaPortal.Training.Native;

namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// On a training node, once at start: measures how fast this worker trains (a few seconds of training steps on
/// random tensors, at the training priority) and writes it for its queue, so run estimates fit this machine.
/// </summary>
public sealed class WorkerCalibration(WorkerSpeeds speeds, IOptions<TrainingOptions> options, ILogger<WorkerCalibration> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var queue = TrainingQueues.Local;
        try
        {
            var measured = await Task.Run(() =>
            {
                using var thread = new LoweredThread();
                return thread.Run("Calibration", options.Value.Nice, () => ComputeBenchmark.Calibrate(queue == TrainingQueues.Gpu ? "cuda" : "cpu"));
            }, stopping);
            await speeds.MeasuredAsync(queue, measured, stopping);
            log.LogInformation("Worker speed on {Queue} ({Device}): {GMacs:0.0} GMAC/s, {MValues:0.0} M activation values/s",
                queue, measured.Device, 1e-9 / measured.SecondsPerMac, 1e-6 / measured.SecondsPerValue);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Estimates then start from the reference machine's speed and learn from the first real epochs.
            log.LogWarning("The worker could not measure its speed: {Error}", e.Message);
        }
    }
}
