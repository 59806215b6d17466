namespace PneumoniaPortal.Web.Data;

/// <summary>
/// Runs of the same settings started together with different seeds ("Repeat with N seeds" on the set-up form), so that
/// their figures can be shown as mean ± SD: how much of a result is the settings and how much the luck of the draw.
/// Its members are <see cref="TrainingRun"/>s with <see cref="TrainingRun.GroupId"/> set; the group has no status of
/// its own.
/// </summary>
public sealed class SeedGroup
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public PortalUser? Owner { get; set; }
    public int? CourseId { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<TrainingRun> Runs { get; set; } = [];
}
