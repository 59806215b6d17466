namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>What the finished runs said about one image.</summary>
public sealed record RunsSummary(int Runs, int SayPneumonia, double MeanProbability, float MinProbability, float MaxProbability);
