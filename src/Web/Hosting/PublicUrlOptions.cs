using System.ComponentModel.DataAnnotations;

namespace Sweep.Web.Hosting;

/// <summary>
/// The address users reach Sweep at (top-level setting <c>PublicUrl</c>, e.g. https://sweep.example.org/). Links that
/// leave the site, such as share links, are built from it; unset, from the request as the known proxy forwarded it.
/// </summary>
public sealed class PublicUrlOptions : IValidatableObject
{
    public const string Key = "PublicUrl";

    public string? PublicUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(PublicUrl))
        {
            yield break;
        }

        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            yield return new ValidationResult(
                $"'{PublicUrl}' is not an absolute http(s) URL without query or fragment, e.g. https://sweep.example.org/.", [nameof(PublicUrl)]);
        }
    }
}
