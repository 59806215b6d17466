using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Data;

public sealed class BlindLabellingItem
{
    public int Id { get; set; }
    public int SetId { get; set; }
    public BlindLabellingSet? Set { get; set; }
    public string RelativePath { get; set; } = "";
    /// <summary>The label the instructor vouches for (a gold-standard image), or null for a doubtful one.</summary>
    public Label? GoldLabel { get; set; }
    public List<BlindLabel> Answers { get; set; } = [];
}
