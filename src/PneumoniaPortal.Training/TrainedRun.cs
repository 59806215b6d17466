using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Training.Native;
using static TorchSharp.torch;

namespace PneumoniaPortal.Training;

/// <summary>A finished (or interrupted) run opened for inference: its record, normalisation and best checkpoint(s).</summary>
public sealed class TrainedRun : IDisposable
{
    public RunRecord Record { get; }
    public TrainerState State { get; }
    public RunFolder Folder { get; }
    public Device Device { get; }
    public IReadOnlyList<PneumoniaNet> Nets { get; }
    /// <summary>The decision threshold chosen on validation when the run was evaluated, else 0.5.</summary>
    public double Threshold => Record.Test?.Threshold.Threshold ?? 0.5;
    public int InputSize => Record.Config.Architecture.InputSize;

    TrainedRun(RunRecord record, TrainerState state, RunFolder folder, Device device, IReadOnlyList<PneumoniaNet> nets)
    {
        Record = record;
        State = state;
        Folder = folder;
        Device = device;
        Nets = nets;
    }

    public static TrainedRun Open(string runDirectory, string devicePreference = "auto")
    {
        TorchRuntime.EnsureReady();
        var folder = new RunFolder(runDirectory);
        var record = folder.ReadRecord();
        var state = folder.ReadJson<TrainerState>(folder.StateJson)
                    ?? throw new InvalidDataException($"{folder.Path} has no finished epoch to load (state.json is missing).");
        var device = TorchRuntime.PickDevice(devicePreference);
        var nets = folder.EvaluatedCheckpoints(state).Select(f => Evaluator.LoadNet(record.Config.Architecture, f, device)).ToList();
        return new TrainedRun(record, state, folder, device, nets);
    }

    /// <summary>Decodes an uploaded image (JPEG or PNG, any size) to the run's input size; InvalidDataException if it is not one.</summary>
    public byte[] Decode(byte[] encoded) => ImageDecoder.DecodeGray(encoded, InputSize);

    /// <summary>PNEUMONIA probability of one image, averaged over the run's checkpoints (and mirror, if the run used TTA).</summary>
    public float Predict(byte[] gray)
    {
        using var scope = NewDisposeScope();
        var unit = Unit(gray);
        return Nets.Average(net => Predictor.Probabilities(net, unit, State.Normalization, Record.Config.Training.TestTimeAugmentation)[0]);
    }

    internal Tensor Unit(byte[] gray) =>
        tensor(gray, [1, 1, InputSize, InputSize]).to(Device).to_type(ScalarType.Float32).div_(255f);

    public void Dispose()
    {
        foreach (var net in Nets) net.Dispose();
    }
}
