using System.Text.Json;
using System.Text.Json.Serialization;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Runs;

namespace PneumoniaPortal.Training;

/// <summary>
/// The files of one run: <c>run.json</c> (config, history, test report), <c>last.pt</c> + <c>last.optim</c> + <c>state.json</c>
/// (resume point), <c>epoch-NNN.pt</c> (the best checkpoints on validation) and <c>predictions.csv</c>.
/// </summary>
public sealed class RunFolder(string path)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string RunJson => File("run.json");
    public string StateJson => File("state.json");
    public string LastCheckpoint => File("last.pt");
    public string LastOptimizer => File("last.optim");
    public string Predictions => File("predictions.csv");

    /// <summary>The rows of <see cref="Predictions"/> (<see cref="PredictionsCsv"/>).</summary>
    public IReadOnlyList<PredictionRow> ReadPredictions() => PredictionsCsv.Read(Predictions);
    /// <summary>Which images the run trained and validated on, so a later evaluation scores exactly the same split.</summary>
    public string SplitsCsv => File("splits.csv");
    public string EpochCheckpoint(int epoch) => File($"epoch-{epoch:D3}.pt");

    /// <summary>The best epochs on validation whose checkpoints are on disk, best first.</summary>
    public IReadOnlyList<int> KeptBestEpochs(TrainerState state) =>
        state.TopCheckpoints.Where(s => System.IO.File.Exists(EpochCheckpoint(s.Epoch))).Select(s => s.Epoch).ToList();

    /// <summary>The checkpoint files a run is evaluated and used with: its kept best epochs, else the last epoch's weights.</summary>
    public IReadOnlyList<string> EvaluatedCheckpoints(TrainerState state) =>
        KeptBestEpochs(state) is { Count: > 0 } epochs ? epochs.Select(EpochCheckpoint).ToList() : [LastCheckpoint];

    string File(string name) => System.IO.Path.Combine(Path, name);

    public void WriteSplits(RunSplits splits)
    {
        var csv = new System.Text.StringBuilder("path,role\n");
        foreach (var image in splits.Train) csv.Append(image.RelativePath).Append(",train\n");
        foreach (var image in splits.Validation) csv.Append(image.RelativePath).Append(",val\n");
        WriteAtomically(SplitsCsv, csv.ToString());
    }

    /// <summary>The run's own train/validation split applied to <paramref name="images"/>; null for runs saved without one.</summary>
    public RunSplits? ReadSplits(IReadOnlyList<ImageRecord> images)
    {
        if (!System.IO.File.Exists(SplitsCsv)) return null;
        var role = System.IO.File.ReadLines(SplitsCsv).Skip(1).Select(l => l.Split(','))
            .Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new RunSplits(
            images.Where(i => role.GetValueOrDefault(i.RelativePath) == "train").ToList(),
            images.Where(i => role.GetValueOrDefault(i.RelativePath) == "val").ToList(),
            images.Where(i => i.Split == Split.Test).ToList());
    }

    public RunRecord ReadRecord()
    {
        if (!System.IO.File.Exists(RunJson))
            throw new FileNotFoundException($"{Path} is not a run folder: it has no run.json. Train one first with `train --out {Path}`.");
        return JsonSerializer.Deserialize<RunRecord>(System.IO.File.ReadAllText(RunJson), Json)
               ?? throw new InvalidDataException($"{RunJson} is empty.");
    }

    public void WriteRecord(RunRecord record) => WriteAtomically(RunJson, JsonSerializer.Serialize(record, Json));

    public T? ReadJson<T>(string file) where T : class =>
        System.IO.File.Exists(file) ? JsonSerializer.Deserialize<T>(System.IO.File.ReadAllText(file), Json) : null;

    public void WriteJson<T>(string file, T value) => WriteAtomically(file, JsonSerializer.Serialize(value, Json));

    /// <summary>Temp file + rename: a crash mid-write never leaves a half-written file where a reader looks.</summary>
    public static void WriteAtomically(string file, string text)
    {
        var temp = $"{file}.tmp";
        System.IO.File.WriteAllText(temp, text);
        System.IO.File.Move(temp, file, overwrite: true);
    }

    public static void SaveAtomically(string file, Action<string> save)
    {
        var temp = $"{file}.tmp";
        save(temp);
        System.IO.File.Move(temp, file, overwrite: true);
    }
}
