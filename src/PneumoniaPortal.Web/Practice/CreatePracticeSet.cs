using PneumoniaPortal.Core;
using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>An instructor's new practice set for one class, on the class's data set.</summary>
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
