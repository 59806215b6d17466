using System.Net;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>
/// What every answer tells the browser: run no script but the portal's own files, sniff nothing, send no referrer to
/// other sites, never be framed; and behind a proxy that ends TLS (when trusted), mark cookies Secure and send HSTS.
/// </summary>
public sealed class SecurityHeadersTests
{
    sealed class ProxiedPortal() : PortalHost(new Dictionary<string, string?> { ["Http:TrustForwardedHeaders"] = "true" });

    [Theory]
    [InlineData("Account/Login")]
    [InlineData("api/runs")]
    [InlineData("health/live")]
    [InlineData("favicon.svg")]
    public async Task Every_answer_forbids_inline_scripts_sniffing_framing_and_cross_site_referrers(string path)
    {
        using var portal = new PortalHost();
        using var client = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var response = await client.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        var csp = Header(response, "Content-Security-Policy");
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.DoesNotContain("'unsafe-eval'", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        // Plain HTTP: no HSTS, which browsers ignore there anyway.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Behind_a_trusted_TLS_proxy_the_sign_in_cookie_is_secure_and_HSTS_is_sent()
    {
        using var portal = new ProxiedPortal();
        var (cookie, hsts) = await SignInBehindProxyAsync(portal);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", hsts);
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_unless_the_proxy_is_trusted()
    {
        using var portal = new PortalHost();
        var (cookie, hsts) = await SignInBehindProxyAsync(portal);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Null(hsts);
    }

    /// <summary>Signs in as a TLS-ending proxy would pass it on; returns the sign-in cookie as set, and the HSTS header.</summary>
    static async Task<(string Cookie, string? Hsts)> SignInBehindProxyAsync(PortalHost portal)
    {
        using var client = portal.NewClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-Host", "portal.school.example");
        var response = await client.PostLoginAsync(DemoSeeder.StudentEmail, PortalHost.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        return (cookie, response.Headers.TryGetValues("Strict-Transport-Security", out var hsts) ? hsts.Single() : null);
    }

    static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} has no {name} header.");
}
