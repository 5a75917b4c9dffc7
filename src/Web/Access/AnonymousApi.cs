namespace Sweep.Web.Access;

/// <summary>
/// The /api/v1 endpoints that anyone may call without a credential, as "METHOD /template". Empty today: every API
/// endpoint needs a credential. Adding one here is a reviewed decision; an endpoint without <see cref="ApiAccess"/>
/// that is not listed is refused.
/// </summary>
public static class AnonymousApi
{
    public static readonly IReadOnlySet<string> Endpoints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public static bool Allows(string method, string? template) =>
        template is not null && Endpoints.Contains($"{method} {template}");
}
