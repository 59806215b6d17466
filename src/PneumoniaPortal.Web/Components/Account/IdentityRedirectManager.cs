using Microsoft.AspNetCore.Components;

namespace PneumoniaPortal.Web.Components.Account;

/// <summary>Redirects from the static sign-in pages, refusing anything that would leave the portal.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    /// <summary>The cookie that carries a one-line message to the next page's <c>StatusMessage</c>.</summary>
    public const string StatusCookieName = "Identity.StatusMessage";

    static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    public void RedirectTo(string? uri)
    {
        uri ??= "";
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal) || uri.StartsWith("/\\", StringComparison.Ordinal))
            uri = navigationManager.ToBaseRelativePath(uri.StartsWith(navigationManager.BaseUri, StringComparison.Ordinal) ? uri : navigationManager.BaseUri);
        navigationManager.NavigateTo(uri);
    }

    /// <summary>Redirects and leaves <paramref name="message"/> for the next page; one starting "Error" shows as an error.</summary>
    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    /// <summary>The current page's address without its query.</summary>
    string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context) =>
        RedirectToWithStatus(CurrentPath, message, context);
}
