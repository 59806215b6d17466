using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Data;

public sealed class BlindLabel
{
    public int ItemId { get; set; }
    public string UserId { get; set; } = "";
    public PortalUser? User { get; set; }
    public Label Label { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>The answer on the second read, with the model's help; the blind <see cref="Label"/> stays as it was.</summary>
    public Label? AssistedLabel { get; set; }
    /// <summary>When the model's help was first shown to this student in this set: from then on <see cref="Label"/> stays as it is.</summary>
    public DateTimeOffset? AssistedAt { get; set; }
}
