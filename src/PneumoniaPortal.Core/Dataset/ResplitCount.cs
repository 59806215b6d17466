namespace PneumoniaPortal.Core.Dataset;

/// <summary>How many images of one label one split held before a re-split and holds after it.</summary>
public sealed record ResplitCount(Split Split, Label Label, int Before, int After);
