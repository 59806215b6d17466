using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Training;

/// <summary>One row of a run's predictions.csv (<see cref="PredictionsCsv"/>).</summary>
public sealed record PredictionRow(string RelativePath, string Split, Label Label, float Probability);
