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
    public DateTimeOffset? AssistedAt { get; set; }
}
