namespace PneumoniaPortal.Web.RunSetup;

/// <summary>The chosen image as the network sees it, and <see cref="AugmentationPreviewService.Copies"/> augmented versions, as PNG data URLs.</summary>
public sealed record AugmentationPreview(string ImagePath, string Original, IReadOnlyList<string> Augmented, int Seed);
