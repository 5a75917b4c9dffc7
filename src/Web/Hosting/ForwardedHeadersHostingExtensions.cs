using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Sweep.Web.Hosting;

/// <summary>
/// Running behind a TLS-terminating proxy: the client's address, scheme and host come from the forwarded headers of
/// known proxies only, so that rate limits see the real client, cookies are Secure over HTTPS, and links point where
/// users reach the site.
/// </summary>
public static class ForwardedHeadersHostingExtensions
{
    public static IServiceCollection AddSweepProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PublicUrlOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublicUrls>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) => Apply(forwarded, proxy.Value));

        // Antiforgery's cookie is not Secure by default; the session cookie's policy is set beside its other options.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>First in the pipeline: everything after it, the rate limiter included, sees the real client.</summary>
    public static IApplicationBuilder UseSweepForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();

    private static void Apply(ForwardedHeadersOptions forwarded, ProxyOptions proxy)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        forwarded.ForwardLimit = proxy.ForwardLimit;
        if (!proxy.Configured)
        {
            return; // ASP.NET Core's default: loopback only.
        }

        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var address in proxy.Proxies)
        {
            forwarded.KnownProxies.Add(IPAddress.Parse(address));
        }

        foreach (var network in proxy.Networks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }
}
