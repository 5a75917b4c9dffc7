using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Issue 13, item 3, for signed-in sessions: an open circuit keeps the principal it was opened with, so every check a
/// live page makes re-validates that principal (<see cref="CallerRevalidation"/>) and re-reads its role
/// (<see cref="SweepAccess"/>). This drives those two with the principal Identity issues at sign-in, as a circuit holds it.
/// The browser test covers the same path for a revoked share link over a real circuit.
/// </summary>
[Collection(SharedHost.Access)]
public sealed class LiveSessionAttackTests(SweepWebFactory factory)
{
    [Fact]
    public async Task Item3_a_live_session_loses_the_sweep_when_its_member_is_removed_and_counts_as_nobody_once_signed_out_everywhere()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<SweepUser>>();
        var viewer = (await users.FindByEmailAsync(world.EmailViewerB))!;
        var circuitUser = await services.GetRequiredService<IUserClaimsPrincipalFactory<SweepUser>>().CreateAsync(viewer);
        var revalidation = services.GetRequiredService<CallerRevalidation>();
        var access = services.GetRequiredService<SweepAccess>();
        Assert.True(await revalidation.IsStillValidAsync(circuitUser, CancellationToken.None));
        Assert.Equal(AccessOutcome.Allowed, await access.SweepAsync(circuitUser, world.SweepB, ProjectRoles.Viewer, CancellationToken.None));

        using var owner = factory.CreateClient(world.OwnerB);
        var removed = await owner.DeleteAsync($"/api/v1/projects/{world.SlugB}/members/{viewer.Id}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(AccessOutcome.Hidden, await access.SweepAsync(circuitUser, world.SweepB, ProjectRoles.Viewer, CancellationToken.None));

        // A password change or "sign out everywhere" renews the stamp: the circuit's session no longer stands.
        await users.UpdateSecurityStampAsync(viewer);
        Assert.False(await revalidation.IsStillValidAsync(circuitUser, CancellationToken.None));
    }
}
