namespace PneumoniaPortal.Web.Data;

/// <summary>Blind labelling practice: images an instructor picked for the class to label without seeing the label or each other's answers.</summary>
public sealed class BlindLabellingSet
{
    public int Id { get; set; }
    public int CourseId { get; set; }
    public Course? Course { get; set; }
    public int DatasetId { get; set; }
    public string Title { get; set; } = "";
    public string CreatedById { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>Closed sets take no more answers; their results are shown to the students.</summary>
    public bool Closed { get; set; }
    public List<BlindLabellingItem> Items { get; set; } = [];
}
