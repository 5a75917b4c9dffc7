using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Issue 13, item 1: a token's scope holds everywhere. Bearer tokens authenticate under /api only, so a read token
/// sent to a page, a circuit or /hangfire is nobody there; and SweepAccess's decision includes the credential's scope.
/// </summary>
[Collection(SharedHost.Access)]
public sealed class ScopeAttackTests(SweepWebFactory factory)
{
    private async Task<string> ReadTokenAsync(string readWriteToken)
    {
        using var client = factory.CreateClient(readWriteToken);
        var response = await client.PostAsJsonAsync("/api/v1/tokens", new { name = "read only", scope = TokenScopes.Read });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    [Fact]
    public async Task Item1_read_token_sent_to_a_sweep_page_no_longer_authenticates_and_redirects_to_sign_in()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var reader = factory.CreateClient(await ReadTokenAsync(world.OwnerB));

        foreach (var page in new[] { $"/sweeps/{world.SweepB}", $"/trials/{world.TrialB}", "/sweeps/new", "/projects", "/account" })
        {
            using var response = await reader.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page} → {(int)response.StatusCode}");
            Assert.Contains("/account/login?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            Assert.DoesNotContain(world.SweepBName, await response.Content.ReadAsStringAsync());
        }

        // The same token still reads the API, where bearer tokens belong.
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/sweeps/{world.SweepB}")).StatusCode);
    }

    [Fact]
    public async Task Item1_the_access_decision_includes_the_credentials_scope()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var read = await AuthenticateAsync(await ReadTokenAsync(world.OwnerB));
        var readWrite = await AuthenticateAsync(world.OwnerB);
        await using var scope = factory.Services.CreateAsyncScope();
        var access = scope.ServiceProvider.GetRequiredService<SweepAccess>();

        // An owner's read token reads, and is refused everything an editor or owner does, whatever the role.
        Assert.Equal(AccessOutcome.Allowed, await access.SweepAsync(read, world.SweepB, ProjectRoles.Viewer, CancellationToken.None));
        Assert.Equal(AccessOutcome.Forbidden, await access.SweepAsync(read, world.SweepB, ProjectRoles.Editor, CancellationToken.None));
        Assert.Equal(AccessOutcome.Forbidden, await access.TrialAsync(read, world.TrialB, ProjectRoles.Editor, CancellationToken.None));
        Assert.Equal(AccessOutcome.Forbidden, await access.ProjectAsync(read, world.SlugB, ProjectRoles.Owner, CancellationToken.None));
        Assert.Equal(AccessOutcome.Forbidden, (await access.CreateTargetAsync(read, world.SlugB, CancellationToken.None)).Outcome);
        Assert.Equal(AccessOutcome.Allowed, await access.SweepAsync(readWrite, world.SweepB, ProjectRoles.Editor, CancellationToken.None));
    }

    [Fact]
    public async Task Item1_an_administrators_read_token_gets_nothing_in_hangfire()
    {
        using var admin = factory.CreateClient(factory.AdminToken);
        using var adminRead = factory.CreateClient(await ReadTokenAsync(factory.AdminToken));

        Assert.Equal(HttpStatusCode.Unauthorized, (await adminRead.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await adminRead.GetAsync("/hangfire/jobs/enqueued")).StatusCode);
        var command = await adminRead.PostAsync("/hangfire/jobs/enqueued/delete", new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "1" }));
        Assert.Equal(HttpStatusCode.Unauthorized, command.StatusCode);

        // Even the administrator's read-write token is nobody there; the administrator's signed-in session sees it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/hangfire")).StatusCode);
        using var session = await factory.CreateSessionClientAsync(SweepWebFactory.AdminEmail, SweepWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/hangfire")).StatusCode);
    }

    /// <summary>The principal the app's own authentication makes of a bearer token on an API request.</summary>
    private async Task<System.Security.Claims.ClaimsPrincipal> AuthenticateAsync(string token)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Path = "/api/v1/sweeps";
        context.Request.Headers.Authorization = "Bearer " + token;
        var result = await context.AuthenticateAsync();
        Assert.True(result.Succeeded, result.Failure?.Message);
        return result.Principal!;
    }
}
