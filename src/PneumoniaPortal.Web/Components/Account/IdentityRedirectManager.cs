using Microsoft.AspNetCore.Components;

namespace PneumoniaPortal.Web.Components.Account;

/// <summary>Redirects from the static sign-in pages, refusing anything that would leave the portal.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri)
    {
        uri ??= "";
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal) || uri.StartsWith("/\\", StringComparison.Ordinal))
            uri = navigationManager.ToBaseRelativePath(uri.StartsWith(navigationManager.BaseUri, StringComparison.Ordinal) ? uri : navigationManager.BaseUri);
        navigationManager.NavigateTo(uri);
    }
}
