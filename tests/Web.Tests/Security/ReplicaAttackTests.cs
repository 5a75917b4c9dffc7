using System.Net;
using Sweep.Testing;

namespace Sweep.Web.Tests.Security;

/// <summary>Two web replicas (real processes, each with its own HOME, as in two containers) on one database.</summary>
public sealed class ReplicaFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@replicas.test";

    public const string AdminPassword = "Replica-password-1";

    public TestDatabase Database { get; private set; } = null!;

    public WebProcess First { get; private set; } = null!;

    public WebProcess Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        var settings = new Dictionary<string, string>
        {
            ["SWEEP_ADMIN_EMAIL"] = AdminEmail,
            ["SWEEP_ADMIN_PASSWORD"] = AdminPassword,
            ["Examples__Folder"] = "/nonexistent",
        };
        try
        {
            // One after the other, as a rolling deploy does: the first creates the administrator and the first key.
            First = await WebProcess.StartAsync(Database.ConnectionString, settings);
            Second = await WebProcess.StartAsync(Database.ConnectionString, settings);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Second is not null)
        {
            await Second.DisposeAsync();
        }

        if (First is not null)
        {
            await First.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

/// <summary>Issue 13, item 7: replicas share state (data-protection keys in PostgreSQL).</summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class ReplicaAttackTests(ReplicaFixture replicas) : IClassFixture<ReplicaFixture>
{
    [Fact]
    public async Task Item7_A_sign_in_form_served_by_one_replica_signs_in_on_the_other()
    {
        using var first = replicas.First.RawClient();
        using var second = replicas.Second.RawClient();

        var (token, antiforgery) = await RawForms.LoginPageAsync(first);
        using var signedIn = await RawForms.SignInAsync(second, token, antiforgery, ReplicaFixture.AdminEmail, ReplicaFixture.AdminPassword);

        Assert.True(signedIn.StatusCode == HttpStatusCode.Found, $"{signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync()}");
        Assert.StartsWith("sweep_session=", RawForms.SetCookie(signedIn, "sweep_session="), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Item7_A_session_cookie_issued_by_one_replica_is_accepted_by_the_other()
    {
        foreach (var (issuer, reader) in new[] { (replicas.First, replicas.Second), (replicas.Second, replicas.First) })
        {
            using var issuing = issuer.RawClient();
            using var reading = reader.RawClient();
            var session = await RawForms.SessionAsync(issuing, ReplicaFixture.AdminEmail, ReplicaFixture.AdminPassword);

            Assert.Equal(HttpStatusCode.Unauthorized, (await reading.GetAsync("/api/v1/sweeps")).StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sweeps");
            request.Headers.Add("Cookie", RawForms.Pair(session));
            Assert.Equal(HttpStatusCode.OK, (await reading.SendAsync(request)).StatusCode);
        }

        // The key ring both read is the one in PostgreSQL, under the fixed application name.
        Assert.True(await replicas.Database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys") >= 1);
    }
}
