namespace PneumoniaPortal.Web.Practice;

/// <summary>A set's results: instructors always, students once it is closed.</summary>
public sealed record PracticeResults(int Id, string Title, string CourseName, bool Closed, bool IsInstructorView, int Students, int Answers,
    double? ClassGoldAgreement, double? ClassConsensusAgreement, IReadOnlyList<PracticeStudentResult> PerStudent, IReadOnlyList<PracticeImageResult> PerImage);
