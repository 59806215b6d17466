namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>How far the hashing of a data set has come, for a progress message.</summary>
public sealed record HashingProgress(int Done, int Total);
