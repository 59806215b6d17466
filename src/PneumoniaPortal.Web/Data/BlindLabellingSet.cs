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
    /// <summary>
    /// The model of the reader study (issue 17): a finished run of the class shared with it, on
    /// the set's data set; the students' points are drawn on its ROC curve over the set's images. Null: none chosen.
    /// </summary>
    public int? ReaderRunId { get; set; }
    public TrainingRun? ReaderRun { get; set; }
    /// <summary>
    /// A second read with the model's help: once a student answered every image blind, they see each again with the
    /// reader model's probability and Grad-CAM and answer once more (<see cref="BlindLabel.AssistedLabel"/>).
    /// </summary>
    public bool SecondRead { get; set; }
    public List<BlindLabellingItem> Items { get; set; } = [];
}
