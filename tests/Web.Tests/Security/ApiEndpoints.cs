using System.Text;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// The app's endpoints as its routing sees them (the endpoint data source), so that an endpoint added later is tested
/// without anyone listing it here.
/// </summary>
internal static class ApiEndpoints
{
    public sealed record Route(string Method, string Template, IReadOnlyList<string> Parameters)
    {
        public bool IsWrite => Method is not ("GET" or "HEAD");

        /// <summary>The template with each {parameter} filled in.</summary>
        public string Fill(Func<string, string> value)
        {
            var text = Template;
            foreach (var p in Parameters)
            {
                text = System.Text.RegularExpressions.Regex.Replace(text, "\\{" + p + "(:[^}]*)?\\}", value(p));
            }

            return text;
        }

        public HttpRequestMessage Request(string path)
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), path);
            if (IsWrite)
            {
                // A body every write endpoint accepts in shape, so that no endpoint can answer 400 before authorization.
                request.Content = new StringContent("{\"priority\":0}", Encoding.UTF8, "application/json");
            }

            return request;
        }

        public override string ToString() => $"{Method} {Template}";
    }

    public static IReadOnlyList<Route> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new Route(m, e.RoutePattern.RawText!, e.RoutePattern.Parameters.Select(p => p.Name).ToList())))
            .ToList();

    /// <summary>Razor pages (component endpoints) with their route templates.</summary>
    public static IReadOnlyList<Route> Pages(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(e => new Route("GET", e.RoutePattern.RawText!, e.RoutePattern.Parameters.Select(p => p.Name).ToList()))
            .DistinctBy(r => r.Template)
            .ToList();
}
