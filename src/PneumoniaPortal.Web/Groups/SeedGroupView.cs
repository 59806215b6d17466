using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Web.Runs;

namespace PneumoniaPortal.Web.Groups;

/// <summary>
/// A seed group as the viewer may see it: its runs, every figure as mean ± SD over the finished ones, and the
/// training curves as a mean with a band of one SD.
/// </summary>
/// <param name="Finished">How many runs finished (Succeeded): the figures are over these.</param>
public sealed record SeedGroupView(
    int Id,
    string Name,
    string OwnerName,
    bool IsMine,
    bool CanControl,
    bool Shared,
    int? CourseId,
    int DatasetId,
    IReadOnlyList<RunListItem> Runs,
    int Finished,
    IReadOnlyList<GroupFigure> Figures,
    IReadOnlyList<GroupCurve> Curves)
{
    public bool AnyActive => Runs.Any(r => r.Status is Data.RunStatus.Queued or Data.RunStatus.Running);

    public GroupFigure? Figure(string key) => Figures.FirstOrDefault(f => f.Key == key);
}

/// <summary>One figure of a group: its spread over the finished runs and each run's own value, in the order of <see cref="SeedGroupView.Runs"/>.</summary>
/// <param name="Kind">percent or number: how the page writes it.</param>
/// <param name="Split">test or validation.</param>
public sealed record GroupFigure(string Key, string Name, string Kind, string Split, SeedSpread? Spread, IReadOnlyList<double?> PerRun)
{
    public string Describe() => Spread?.Describe(Kind == "percent") ?? "—";
}

/// <summary>A training curve over the group's runs: per epoch the mean and one SD either side (the band), from the runs that reached that epoch.</summary>
public sealed record GroupCurve(string Metric, string Title, IReadOnlyList<GroupCurvePoint> Points);

public sealed record GroupCurvePoint(int Epoch, double Mean, double Lower, double Upper, int Runs);
