using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Sweep.Web.Hosting;

/// <summary>
/// Which reverse proxies may tell Sweep the client's address, scheme and host (X-Forwarded-For/-Proto/-Host).
/// With neither list set, only loopback is trusted, as ASP.NET Core does by default; setting either list replaces
/// that default, so a proxy on the same host must be listed too.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";

    /// <summary>Proxy addresses, e.g. 10.0.0.5 or ::1.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. 10.0.0.0/8.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxy hops to unwind, right to left; each hop must be a known proxy.</summary>
    [Range(1, 20)]
    public int ForwardLimit { get; set; } = 1;

    // Blank entries count as unset, so that a compose placeholder such as "${SWEEP_PROXY_NETWORK:-}" can stay empty.
    public IEnumerable<string> Proxies => KnownProxies.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim());

    public IEnumerable<string> Networks => KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim());

    public bool Configured => Proxies.Any() || Networks.Any();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in Proxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"'{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in Networks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"'{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8).", [nameof(KnownNetworks)]);
        }
    }
}
