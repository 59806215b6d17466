namespace PneumoniaPortal.Web.Dataset;

/// <summary>Split data set <paramref name="SourceId"/> again: fractions of each label for train, validation and test, and the seed.</summary>
public sealed record ResplitRequest(int SourceId, double Train, double Validation, double Test, int Seed, string? Name = null);
