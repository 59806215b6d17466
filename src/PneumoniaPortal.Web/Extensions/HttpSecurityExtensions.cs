using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace PneumoniaPortal.Web;

public static class HttpSecurityExtensions
{
    /// <summary>The proxy in front (forwarded headers, <see cref="PortalHttpOptions"/>) and the browser security headers.</summary>
    public static void AddHttpSecurity(this WebApplicationBuilder builder)
    {
        var http = builder.Settings<PortalHttpOptions>(PortalHttpOptions.Section);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in http.KnownProxies) o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            foreach (var network in http.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
    }

    /// <summary>
    /// First in the pipeline: what the proxy forwarded (when trusted), then headers that make the browser refuse what
    /// the portal never does. No script runs unless it is one of the portal's own files (no inline scripts or event
    /// handlers, so a name written as HTML somewhere still runs nothing); styles may be inline (MudBlazor and ApexCharts
    /// set them); nothing is framed, sniffed or sent to other sites as a referrer.
    /// </summary>
    public static void UseHttpSecurity(this WebApplication app)
    {
        var http = app.Services.GetRequiredService<IOptions<PortalHttpOptions>>().Value;
        if (http.TrustForwardedHeaders) app.UseForwardedHeaders();
        app.UseSecurityHeaders(policies =>
        {
            policies
                .AddContentTypeOptionsNoSniff()
                .AddReferrerPolicySameOrigin()
                .AddFrameOptionsDeny()
                .AddCrossOriginOpenerPolicy(p => p.SameOrigin())
                .AddContentSecurityPolicy(csp =>
                {
                    csp.AddDefaultSrc().Self();
                    csp.AddScriptSrc().Self();
                    csp.AddStyleSrc().Self().UnsafeInline();
                    csp.AddImgSrc().Self().Data().Blob();
                    csp.AddFontSrc().Self().Data();
                    csp.AddConnectSrc().Self();
                    csp.AddObjectSrc().None();
                    csp.AddBaseUri().Self();
                    csp.AddFormAction().Self();
                    csp.AddFrameAncestors().None();
                });
            // Sent on HTTPS responses only (the library checks), so a portal reached over plain HTTP is unaffected.
            if (http.HstsDays > 0) policies.AddStrictTransportSecurityMaxAge(http.HstsDays * 24 * 3600);
        });
    }
}
