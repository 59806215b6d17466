namespace PneumoniaPortal.Web.Compare;

/// <summary>
/// One row of the side-by-side table: a value per compared run (null when the run has none), and which of them are the
/// best. Runs outside the comparable group (another data set) keep their value but never count as best.
/// </summary>
public sealed record ComparisonRow(string Name, string Kind, Better Better, IReadOnlyList<double?> Values, IReadOnlyList<bool> IsBest)
{
    /// <summary>How a value of this row reads: percent, number, count or duration.</summary>
    public string Display(int run) => Values[run] is not { } v ? "—" : Kind switch
    {
        "percent" => Format.Percent(v),
        "count" => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        "duration" => Format.Duration(TimeSpan.FromSeconds(v)),
        _ => Format.Number(v),
    };
}
