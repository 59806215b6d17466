using MudBlazor;

namespace PneumoniaPortal.Web.Components.Shared;

/// <summary>
/// How a page shows a refused action: the <see cref="Refusal"/>'s message in a snackbar. (A refused load or form shows
/// the message in the page's own alert or field instead, where the user is looking.)
/// </summary>
public static class RefusalSnackbar
{
    /// <summary>Runs the action; true when it was done, false when a service refused it (the snackbar says why).</summary>
    public static async Task<bool> TryAsync(this ISnackbar snackbar, Func<Task> action, Severity severity = Severity.Error)
    {
        try
        {
            await action();
            return true;
        }
        catch (Refusal e)
        {
            snackbar.Add(e.Message, severity);
            return false;
        }
    }
}
