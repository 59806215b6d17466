namespace PneumoniaPortal.Web;

/// <summary>Configuration section "Http": how browsers reach the portal (directly, or through a proxy that ends TLS).</summary>
public sealed class PortalHttpOptions : IValidatedOptions
{
    public const string Section = "Http";

    /// <summary>
    /// Trust <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the proxies below: behind a proxy that ends TLS the
    /// portal then knows the browser used HTTPS, so its sign-in cookies are marked Secure and HSTS is sent.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>Addresses of the proxies whose forwarded headers are trusted (loopback is always trusted).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies, in CIDR notation (10.0.0.0/8).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Strict-Transport-Security max-age in days, sent on HTTPS responses only; 0 sends none.</summary>
    public int HstsDays { get; set; } = 365;

    public IEnumerable<string> Validate()
    {
        foreach (var proxy in KnownProxies)
            if (!System.Net.IPAddress.TryParse(proxy, out _))
                yield return $"Http:KnownProxies holds '{proxy}', which is not an IP address.";
        foreach (var network in KnownNetworks)
            if (!System.Net.IPNetwork.TryParse(network, out _))
                yield return $"Http:KnownNetworks holds '{network}', which is not a network in CIDR notation (such as 10.0.0.0/8).";
        if (HstsDays is < 0 or > 730)
            yield return $"Http:HstsDays is the Strict-Transport-Security max-age in days, from 0 (none) to 730; it is {HstsDays}.";
    }
}
