using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Data;

/// <summary>
/// One test image a leaderboard holds back, written when the leaderboard is made: where it was, its content (MD5),
/// its label as imported and which half it scores in. Students never see an image whose content is held back, in
/// any data set that holds it; the leaderboard scores from these rows without opening its data set.
/// </summary>
public sealed class HeldBackImage
{
    public long Id { get; set; }
    public int LeaderboardId { get; set; }
    public string RelativePath { get; set; } = "";
    /// <summary>Lower-case hex MD5 of the file's bytes.</summary>
    public string Md5 { get; set; } = "";
    public Label Label { get; set; }
    /// <summary>Scored in the private half (revealed at the end) rather than the public one.</summary>
    public bool IsPrivate { get; set; }
}
