namespace PneumoniaPortal.Tests.Shared;

/// <summary>
/// A measurement for docs/benchmarks.md, not a check: reported as skipped unless <c>PORTAL_TIMINGS=1</c> (and, unless
/// it says otherwise, the full data set is present), so it never passes without having run.
/// </summary>
public sealed class TimingFactAttribute : FactAttribute
{
    public TimingFactAttribute(bool needsFullSet = true)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_TIMINGS") != "1")
            Skip = "A timing for docs/benchmarks.md: run it with PORTAL_TIMINGS=1.";
        else if (needsFullSet && !TestData.IsFullSet)
            Skip = "Needs the full data set (PORTAL_DATA, or ../shared/data/chest_xray_224).";
    }
}
