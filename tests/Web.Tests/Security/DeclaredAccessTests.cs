using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Web.Access;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Issue 13, item 2 (authorization is declared, not inferred) and 11c (a share link cannot list its sweep's share
/// links, which the old route-name inference let through as a read of its own sweep).
/// </summary>
[Collection(SharedHost.Access)]
public sealed class DeclaredAccessTests(SweepWebFactory factory)
{
    [Fact]
    public void Item2_every_api_endpoint_declares_its_access_or_is_on_the_anonymous_allow_list()
    {
        _ = factory.Server;
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);

        var undeclared = endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Endpoint: e)))
            .Where(x => x.Endpoint.Metadata.GetOrderedMetadata<ApiAccess>().Count == 0 && !AnonymousApi.Allows(x.Method, x.Endpoint.RoutePattern.RawText))
            .Select(x => $"{x.Method} {x.Endpoint.RoutePattern.RawText}")
            .ToList();
        Assert.True(undeclared.Count == 0, "Endpoints without access metadata: " + string.Join(", ", undeclared));

        // The allow-list names real endpoints only, so that it cannot drift from the routes.
        var templates = endpoints.Select(e => e.RoutePattern.RawText).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(AnonymousApi.Endpoints, entry => Assert.Contains(entry.Split(' ', 2)[1], templates));
    }

    [Fact]
    public void Item2_share_links_are_allowed_only_on_reads_of_a_sweep_or_trial()
    {
        _ = factory.Server;
        var shared = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true
                        && e.Metadata.GetMetadata<AllowShareLinksMetadata>() is not null)
            .ToList();
        Assert.NotEmpty(shared);
        Assert.All(shared, e =>
        {
            Assert.Equal(["GET"], e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods);
            var declared = e.Metadata.GetOrderedMetadata<ApiAccess>()[^1];
            Assert.Contains(declared.Resource, new[] { ApiResource.Sweep, ApiResource.Trial });
            Assert.Equal(Sweep.Data.Entities.ProjectRoles.Viewer, declared.Role);
        });
    }

    [Fact]
    public async Task Item11c_a_share_link_cannot_list_its_sweeps_share_links()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);
        var created = await editor.PostAsJsonAsync($"/api/v1/sweeps/{world.SweepB}/share-links", new { });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var link = factory.CreateClient((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);

        var list = await link.GetAsync($"/api/v1/sweeps/{world.SweepB}/share-links");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.DoesNotContain("\"id\"", await list.Content.ReadAsStringAsync());

        // The link still reads its sweep, and members still list the links.
        Assert.Equal(HttpStatusCode.OK, (await link.GetAsync($"/api/v1/sweeps/{world.SweepB}")).StatusCode);
        using var viewer = factory.CreateClient(world.ViewerB);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/sweeps/{world.SweepB}/share-links")).StatusCode);
    }
}
