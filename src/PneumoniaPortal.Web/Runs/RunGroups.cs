namespace PneumoniaPortal.Web.Runs;

/// <summary>
/// A run's live messages go to two groups: <see cref="For"/> holds the watchers who may always see it (owner,
/// instructors, admins), <see cref="Shared"/> those who see it only while it is shared with the class, and gets
/// nothing once it is not. Unsharing a run so stops its messages to classmates within a second (the sending node
/// reads whether the run is shared at most once a second).
/// </summary>
public static class RunGroups
{
    public static string For(int runId) => $"run-{runId}";

    public static string Shared(int runId) => $"run-{runId}-shared";
}
