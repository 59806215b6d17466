using Microsoft.Net.Http.Headers;

namespace PneumoniaPortal.Web.Security;

/// <summary>
/// The /api endpoints are signed in by the same cookie as the pages but carry no antiforgery token, so a request that
/// changes something must be one another web site cannot make a browser send: no foreign Origin, and a body that is
/// not an HTML form or plain text (JSON, a zip, or none). Scripts and the portal's own pages are unaffected.
/// </summary>
public static class CrossSiteApiGuard
{
    public static IApplicationBuilder UseCrossSiteApiGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (Check(http) is { } problem)
        {
            await Refusal.WriteAsync(http, problem.Status, problem.Message);
            return;
        }
        await next(http);
    });

    /// <summary>Null when the request may go on, else its status and why not.</summary>
    static (int Status, string Message)? Check(HttpContext http)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method))
            return null;
        if (request.Headers.Origin is { Count: > 0 } origin && !SameHost(origin.ToString(), request.Host))
            return (StatusCodes.Status403Forbidden, "Requests from other web sites are refused: call the API from a script or from the portal's own pages.");
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
            return (StatusCodes.Status403Forbidden, "Requests from other web sites are refused: call the API from a script or from the portal's own pages.");
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)) return null;
        var media = type.MediaType.Value ?? "";
        var isForm = media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
                     || media.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
                     || (media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) && http.GetEndpoint()?.Metadata.GetMetadata<AcceptsFormUpload>() is null);
        return isForm
            ? (StatusCodes.Status415UnsupportedMediaType, $"This API does not take {media} (what a web form sends): send JSON (Content-Type: application/json), or no body.")
            : null;
    }

    static bool SameHost(string origin, HostString host) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        // The scheme may differ behind a proxy that ends TLS; the host and port the browser used may not.
        && string.Equals(uri.IsDefaultPort ? uri.Host : uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase);
}
