using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>A byte-identical copy of the image shown, with where it sits.</summary>
public sealed record ImageTwin(int Index, string RelativePath, Split Split, Label Label);
