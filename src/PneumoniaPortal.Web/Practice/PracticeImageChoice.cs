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
