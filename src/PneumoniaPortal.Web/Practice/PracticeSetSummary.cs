namespace PneumoniaPortal.Web.Practice;

/// <summary>A practice set in the list: what the viewer may do with it and how far they got.</summary>
public sealed record PracticeSetSummary(int Id, int CourseId, string CourseName, string Title, int Images, int GoldImages, bool Closed,
    DateTimeOffset CreatedAt, bool CanManage, bool CanAnswer, int MyAnswers, int Students);
