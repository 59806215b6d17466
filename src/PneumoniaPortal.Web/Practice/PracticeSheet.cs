namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// A practice set to work through, one image at a time. <see cref="SecondReadOpen"/>: the viewer answered every image
/// blind and the set offers a second read with the model's help, which is open until the set closes.
/// </summary>
public sealed record PracticeSheet(int Id, int CourseId, string CourseName, string Title, bool Closed, bool CanManage, bool CanAnswer,
    bool CanSeeResults, IReadOnlyList<PracticeItem> Items, bool SecondReadOpen = false)
{
    public int Answered => Items.Count(i => i.MyAnswer is not null);
    public int Rereadable => Items.Count(i => i.Rereadable);
    public int Reread => Items.Count(i => i.Rereadable && i.MyAssisted is not null);
}
