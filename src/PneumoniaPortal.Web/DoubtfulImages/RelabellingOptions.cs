namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>Configuration section "Relabelling".</summary>
public sealed class RelabellingOptions
{
    public const string Section = "Relabelling";

    /// <summary>
    /// Hash the default data set for near-duplicates in the background after start and when another becomes the default (default
    /// true); false leaves it to the first visitor of the doubtful queue.
    /// </summary>
    public bool HashOnStart { get; set; } = true;
}
