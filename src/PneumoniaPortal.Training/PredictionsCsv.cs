using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Training;

/// <summary>
/// A run's predictions.csv (<see cref="RunFolder.Predictions"/>), written once after training and read by the results,
/// leaderboard and doubtful-queue pages: <c>path,split,label,probability,predicted,correct</c>, one row per validation
/// and test image (the path has no comma in the Kaggle layout).
/// </summary>
public static class PredictionsCsv
{
    public const string Header = "path,split,label,probability,predicted,correct";

    // Parsed rows per file and write time: compare pages read the same runs again and again.
    static readonly ConcurrentDictionary<(string File, DateTime Written), IReadOnlyList<PredictionRow>> Parsed = new();

    /// <summary>Writes every split's predictions, decided at <paramref name="threshold"/>.</summary>
    public static void Write(string file, double threshold, params (string Split, SplitPredictions Predictions)[] splits)
    {
        var csv = new StringBuilder(Header + "\n");
        foreach (var (split, p) in splits)
            for (var i = 0; i < p.Images.Count; i++)
            {
                var predicted = p.Probabilities[i] >= threshold ? Label.Pneumonia : Label.Normal;
                csv.Append(CultureInfo.InvariantCulture,
                    $"{p.Images[i].RelativePath},{split},{p.Images[i].Label.ToString().ToUpperInvariant()},{p.Probabilities[i]:0.######},{predicted.ToString().ToUpperInvariant()},{(predicted == p.Images[i].Label ? 1 : 0)}\n");
            }
        RunFolder.WriteAtomically(file, csv.ToString());
    }

    /// <summary>The rows of a predictions file, parsed once per version of the file.</summary>
    public static IReadOnlyList<PredictionRow> Read(string file) =>
        Parsed.GetOrAdd((file, File.GetLastWriteTimeUtc(file)), key =>
        {
            var rows = new List<PredictionRow>();
            foreach (var line in File.ReadLines(key.File).Skip(1))
            {
                var f = line.Split(',');
                if (f.Length < 4) continue;
                rows.Add(new PredictionRow(f[0], f[1], f[2] == "PNEUMONIA" ? Label.Pneumonia : Label.Normal,
                    float.Parse(f[3], CultureInfo.InvariantCulture)));
            }
            return rows;
        });
}
