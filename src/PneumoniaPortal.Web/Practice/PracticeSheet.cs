namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// A practice set to work through, one image at a time. <see cref="SecondReadOpen"/>: the viewer answered every image
/// blind and the set offers a second read with the model's help (<see cref="ReaderRunId"/>), open until the set closes.
/// <see cref="BlindLocked"/>: the viewer has seen the model's help, so their blind answers stay as they are
/// (<see cref="CanAnswer"/> is about blind answers).
/// </summary>
public sealed record PracticeSheet(int Id, int CourseId, string CourseName, string Title, bool Closed, bool CanManage, bool CanAnswer,
    bool CanSeeResults, IReadOnlyList<PracticeItem> Items, bool SecondReadOpen = false, bool BlindLocked = false, int? ReaderRunId = null)
{
    public int Answered => Items.Count(i => i.MyAnswer is not null);
    public int Rereadable => Items.Count(i => i.Rereadable);
    public int Reread => Items.Count(i => i.Rereadable && i.MyAssisted is not null);
}
