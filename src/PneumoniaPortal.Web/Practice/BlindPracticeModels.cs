using PneumoniaPortal.Core;
using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>How the instructor picks a practice set's images.</summary>
public enum PracticeImageChoice
{
    /// <summary>The N most doubtful images of the doubtful queue.</summary>
    MostDoubtful,
    /// <summary>N random images (of one split, or of all), chosen by a seed.</summary>
    Random,
    /// <summary>N random images whose current label the instructor vouches for: the gold standard.</summary>
    GoldStandard,
}

/// <summary>An instructor's new practice set for one class, on the active data set.</summary>
public sealed record CreatePracticeSet(int CourseId, string Title, PracticeImageChoice Choice, int Count, Split? Split = null, int? Seed = null)
{
    public const int MaxImages = 200;

    public IEnumerable<string> Validate()
    {
        var title = (Title ?? "").Trim();
        if (title.Length is < 3 or > 120) yield return $"A title needs 3 to 120 characters; you entered {title.Length}.";
        if (Count is < 1 or > MaxImages) yield return $"A practice set holds 1 to {MaxImages} images; you asked for {Count}.";
        if (!EnumNames.IsNamed(Choice)) yield return EnumNames.Problem<PracticeImageChoice>(Choice.ToString(), "The way to choose images");
        if (Split is { } split && !EnumNames.IsNamed(split)) yield return EnumNames.Problem<Split>(split.ToString(), "The split");
    }
}

/// <summary>A student's answer for one image of a set.</summary>
public sealed record PracticeAnswerRequest(int ItemId, Label Label);

/// <summary>A practice set in the list: what the viewer may do with it and how far they got.</summary>
public sealed record PracticeSetSummary(int Id, int CourseId, string CourseName, string Title, int Images, int GoldImages, bool Closed,
    DateTimeOffset CreatedAt, bool CanManage, bool CanAnswer, int MyAnswers, int Students);

/// <summary>
/// One image to label, as a student sees it: an opaque item id and their own answer, nothing else (its path names
/// its label in the Kaggle layout).
/// </summary>
public sealed record PracticeItem(int ItemId, Label? MyAnswer);

/// <summary>A practice set to work through, one image at a time.</summary>
public sealed record PracticeSheet(int Id, int CourseId, string CourseName, string Title, bool Closed, bool CanManage, bool CanAnswer,
    bool CanSeeResults, IReadOnlyList<PracticeItem> Items)
{
    public int Answered => Items.Count(i => i.MyAnswer is not null);
}

/// <summary>One student's agreement, with their name (instructors see everyone; a student sees only their own row).</summary>
public sealed record PracticeStudentResult(string Student, bool IsMe, int Answered, int GoldAnswered, int GoldAgreed, double? GoldAgreement,
    int ConsensusCompared, int ConsensusAgreed, double? ConsensusAgreement, int NoConsensus);

/// <summary>How the class answered one image (its id in the active data set, for thumbnails), most disagreement first; <see cref="MyAnswer"/> is the viewer's.</summary>
public sealed record PracticeImageResult(int ItemId, string ImageId, string RelativePath, Label? CurrentLabel, Label? GoldLabel, int Normal, int Pneumonia,
    Label? Majority, double Disagreement, Label? MyAnswer);

/// <summary>A set's results: instructors always, students once it is closed.</summary>
public sealed record PracticeResults(int Id, string Title, string CourseName, bool Closed, bool IsInstructorView, int Students, int Answers,
    double? ClassGoldAgreement, double? ClassConsensusAgreement, IReadOnlyList<PracticeStudentResult> PerStudent, IReadOnlyList<PracticeImageResult> PerImage);
