namespace PneumoniaPortal.Web.Activations;

/// <summary>The feature-map mosaic of one conv block, saved as <see cref="File"/> in the image's activation folder.</summary>
public sealed record ActivationLayer(string Layer, int Channels, int ShownChannels, int MapSize, string File);
