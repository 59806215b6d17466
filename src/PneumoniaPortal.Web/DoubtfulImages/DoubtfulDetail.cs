using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>Everything the queue's detail panel shows about one image.</summary>
public sealed record DoubtfulDetail(int Index, ImageRecord Image, DoubtfulImage? Doubt, IReadOnlyList<DoubtfulTwin> Twins, RunsSummary? Runs, OpenProposal? OpenProposal);
