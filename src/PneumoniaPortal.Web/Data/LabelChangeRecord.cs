using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Data;

/// <summary>
/// One accepted change: from <see cref="Version"/> on, the image has this label. Version numbers count up per data
/// set (version 0 is the data set as imported), so every earlier version can be rebuilt.
/// </summary>
public sealed class LabelChangeRecord
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public int Version { get; set; }
    public string RelativePath { get; set; } = "";
    public Label FromLabel { get; set; }
    public string FromSubtype { get; set; } = "";
    public Label ToLabel { get; set; }
    public string ToSubtype { get; set; } = "";
    public int ProposalId { get; set; }
    public string DecidedById { get; set; } = "";
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
}
