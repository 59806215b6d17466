namespace PneumoniaPortal.Web.Components.Shared;

/// <summary>
/// One named series: numeric (x, y) points for line charts, or one y per category (x = null) for bar charts; a
/// <see cref="Band"/> (Type "rangeArea") shades a low-high range behind the lines of the same chart.
/// </summary>
public sealed record ChartSeries(string Name, IReadOnlyList<object> Points, string? Type = null)
{
    public static ChartSeries Band(string name, IEnumerable<(double X, double Low, double High)> points) =>
        new(name, points.Select(p => (object)new { x = p.X, y = new[] { p.Low, p.High } }).ToList(), "rangeArea");

    public static ChartSeries Line(string name, IEnumerable<(double X, double Y)> points) =>
        new(name, points.Select(p => (object)new[] { p.X, p.Y }).ToList());

    public static ChartSeries Bars(string name, IEnumerable<double> values) =>
        new(name, values.Select(v => (object)v).ToList());
}
