using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Results;

/// <summary>One test image as a finished run saw it; <see cref="ImageId"/> names it in the active data set (thumbnails), when it is there.</summary>
public sealed record ResultImage(string RelativePath, Label Label, float Probability, string? ImageId);
