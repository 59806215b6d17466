using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>Another copy of an image: byte-identical, or near-identical by perceptual hash (<see cref="Distance"/> bits of 64 apart).</summary>
public sealed record DoubtfulTwin(int Index, ImageRecord Image, bool Exact, int Distance);
