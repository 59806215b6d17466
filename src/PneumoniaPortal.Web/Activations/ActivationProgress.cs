namespace PneumoniaPortal.Web.Activations;

/// <summary>Where one activation or prediction request stands, for the page's progress line.</summary>
public sealed record ActivationProgress(string Message, int? Ahead = null);
