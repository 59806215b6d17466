namespace PneumoniaPortal.Web.Compare;

/// <summary>What one run says about one image, at that run's own threshold.</summary>
public sealed record ImageVerdict(float Probability, bool Correct);
