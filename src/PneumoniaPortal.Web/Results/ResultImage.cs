using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Results;

/// <summary>One test image as a finished run saw it; <see cref="ImageId"/> names it in the run's data set (thumbnails); null when that set can no longer be read.</summary>
public sealed record ResultImage(string RelativePath, Label Label, float Probability, string? ImageId);
