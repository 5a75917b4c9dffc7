using Microsoft.Extensions.Options;

namespace Sweep.Web.Hosting;

/// <summary>Absolute links to Sweep's own pages, for the places that hand a link to someone outside the site.</summary>
public sealed class PublicUrls(IOptions<PublicUrlOptions> options)
{
    /// <summary>The page a share link opens.</summary>
    public string ShareLink(HttpRequest request, string token) => Base(request) + "/s/" + Uri.EscapeDataString(token);

    /// <summary>The registration page an invite opens.</summary>
    public string InviteLink(HttpRequest request, string token) => Base(request) + "/account/register?invite=" + Uri.EscapeDataString(token);

    // The configured URL wins: a request's Host is whatever the client (or a misconfigured proxy) sent.
    private string Base(HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.Value.PublicUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : options.Value.PublicUrl.TrimEnd('/');
}
