using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Proposals;

/// <summary>What a student proposes for one image of the data set of the class they work in, named by its id (<see cref="ImageIds"/>).</summary>
public sealed record ProposeRelabel(string ImageId, Label Label, string? Subtype, string Reason);
