namespace PneumoniaPortal.Web.Practice;

/// <summary>A practice set to work through, one image at a time.</summary>
public sealed record PracticeSheet(int Id, int CourseId, string CourseName, string Title, bool Closed, bool CanManage, bool CanAnswer,
    bool CanSeeResults, IReadOnlyList<PracticeItem> Items)
{
    public int Answered => Items.Count(i => i.MyAnswer is not null);
}
