using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Sweep.Data.Entities;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>The app as deployed by default: registration closed.</summary>
public sealed class ClosedRegistrationFactory : SweepWebFactory
{
    protected override string? Registration => null;
}

/// <summary>Registration by invite only.</summary>
public sealed class InviteRegistrationFactory : SweepWebFactory
{
    protected override string? Registration => Web.Access.AccountOptions.Invite;
}

/// <summary>Open registration limited to one e-mail domain.</summary>
public sealed class DomainRegistrationFactory : SweepWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Accounts:AllowedEmailDomains:0", "team.test");
    }
}

internal static class Registration
{
    public static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email, string? code = null, string page = "/account/register")
    {
        var fields = new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = SecurityWorld.Password };
        if (code is not null)
        {
            fields["Input.Code"] = code;
        }

        return Forms.PostAsync(client, page, "register", fields);
    }

    public static Task<long> AccountsAsync(SweepWebFactory factory, string email) =>
        factory.Database.ScalarAsync<long>($"SELECT count(*) FROM users WHERE normalized_email = '{email.ToUpperInvariant()}'");
}

/// <summary>Issue 13, item 4: registration is closed by default (anonymous sign-up was open to anyone).</summary>
public sealed class RegistrationAttackTests(ClosedRegistrationFactory factory) : IClassFixture<ClosedRegistrationFactory>
{
    [Fact]
    public async Task Item4_Registration_is_closed_by_default()
    {
        _ = factory.AdminToken;
        using var stranger = factory.CreateAnonymousClient();
        Assert.Contains("Registration is closed", await stranger.GetStringAsync("/account/register"));

        var email = $"stranger-{Guid.NewGuid():N}@evil.test";
        var response = await Registration.RegisterAsync(stranger, email);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Registration is closed", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await Registration.AccountsAsync(factory, email));

        // An administrator's invite is how a closed deployment admits a colleague, with the invite's role.
        using var admin = factory.CreateClient();
        var made = await admin.PostAsJsonAsync("/api/v1/invites", new { project = ProjectRecord.DefaultSlug, role = ProjectRoles.Owner });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var code = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var colleague = $"colleague-{Guid.NewGuid():N}@team.test";
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(stranger, colleague, page: "/account/register?invite=" + code)).StatusCode);
        Assert.Equal(1, await Registration.AccountsAsync(factory, colleague));

        // Nor does an owner's invite open a closed deployment: the colleague owns default now, but is no administrator.
        var colleagueId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE normalized_email = '{colleague.ToUpperInvariant()}'");
        using var owner = factory.CreateClient(await factory.CreateTokenAsync(colleagueId));
        var invite = await owner.PostAsJsonAsync($"/api/v1/projects/{ProjectRecord.DefaultSlug}/invites", new { role = ProjectRoles.Viewer });
        Assert.Equal(HttpStatusCode.BadRequest, invite.StatusCode);
        Assert.Contains("registration", await invite.Content.ReadAsStringAsync());
    }
}

/// <summary>Issue 13, item 4: invites are single-use, expiring, made by owners, and grant their project role.</summary>
public sealed class InviteAttackTests(InviteRegistrationFactory factory) : IClassFixture<InviteRegistrationFactory>
{
    [Fact]
    public async Task Item4_An_invite_registers_one_account_once_with_its_project_role_and_expires()
    {
        using var admin = factory.CreateClient();
        var slug = $"invited-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/projects", new { name = slug, slug })).StatusCode);

        // Without an invite: refused.
        var first = $"first-{Guid.NewGuid():N}@team.test";
        using var anonymous = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await Registration.RegisterAsync(anonymous, first)).StatusCode);
        Assert.Equal(0, await Registration.AccountsAsync(factory, first));

        // Bad input is a ProblemDetails with field errors.
        var bad = await admin.PostAsJsonAsync($"/api/v1/projects/{slug}/invites", new { role = "emperor", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("role", out _));
        Assert.True(errors.TryGetProperty("expiresAt", out _));

        var created = await admin.PostAsJsonAsync($"/api/v1/projects/{slug}/invites", new { role = ProjectRoles.Editor });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("swi_", token);
        Assert.EndsWith("/account/register?invite=" + token, body.GetProperty("url").GetString());
        Assert.DoesNotContain(token, await admin.GetStringAsync($"/api/v1/projects/{slug}/invites"));
        Assert.Equal(1, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM invites WHERE token_hash = '{Web.Access.SecretTokens.Hash(token)}'"));

        // The link registers one account, which becomes an editor of the project and of nothing else.
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(anonymous, first, page: "/account/register?invite=" + token)).StatusCode);
        var userId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE normalized_email = '{first.ToUpperInvariant()}'");
        Assert.Equal("editor", await factory.Database.ScalarAsync<string>(
            $"SELECT m.role FROM project_members m JOIN projects p ON p.id = m.project_id WHERE p.slug = '{slug}' AND m.user_id = '{userId}'"));
        Assert.Equal(1, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM project_members WHERE user_id = '{userId}'"));

        // Used once: a second account cannot use it.
        var second = $"second-{Guid.NewGuid():N}@team.test";
        Assert.Equal(HttpStatusCode.OK, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), second, token)).StatusCode);
        Assert.Equal(0, await Registration.AccountsAsync(factory, second));

        // An expired invite does nothing; a revoked one neither.
        var expiring = (await (await admin.PostAsJsonAsync($"/api/v1/projects/{slug}/invites", new { role = ProjectRoles.Viewer }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.Equal(1, await factory.Database.ScalarAsync<int>(
            $"UPDATE invites SET expires_at = now() - interval '1 second' WHERE token_hash = '{Web.Access.SecretTokens.Hash(expiring)}' RETURNING 1"));
        Assert.Equal(HttpStatusCode.OK, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), second, expiring)).StatusCode);
        var revoked = (await (await admin.PostAsJsonAsync($"/api/v1/projects/{slug}/invites", new { role = ProjectRoles.Viewer }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("details");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/projects/{slug}/invites/{revoked.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(0, await Registration.AccountsAsync(factory, second));
    }

    [Fact]
    public async Task Item4_Only_owners_and_administrators_make_invites()
    {
        using var admin = factory.CreateClient();
        var slug = $"owned-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/projects", new { name = slug, slug })).StatusCode);
        var invite = (await (await admin.PostAsJsonAsync($"/api/v1/projects/{slug}/invites", new { role = ProjectRoles.Viewer }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var viewer = $"viewer-{Guid.NewGuid():N}@team.test";
        using var browser = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(browser, viewer, invite)).StatusCode);

        // The viewer's session may neither list nor make invites, here or to the deployment.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"/api/v1/projects/{slug}/invites")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/invites")).StatusCode);
        using var viewerToken = factory.CreateClient(await factory.CreateTokenAsync(
            await factory.Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE normalized_email = '{viewer.ToUpperInvariant()}'")));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerToken.PostAsJsonAsync($"/api/v1/projects/{slug}/invites", new { role = ProjectRoles.Owner })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerToken.PostAsJsonAsync("/api/v1/invites", new { })).StatusCode);
        Assert.Equal(0, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM invites WHERE role = 'owner'"));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/invites", new { })).StatusCode);
    }

    [Fact]
    public async Task Item4_An_owners_unused_invite_stops_working_when_the_owner_is_demoted()
    {
        using var admin = factory.CreateClient();
        var slug = $"demoted-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/projects", new { name = slug, slug })).StatusCode);
        var ownerInvite = (await (await admin.PostAsJsonAsync($"/api/v1/projects/{slug}/invites", new { role = ProjectRoles.Owner }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var owner = $"owner-{Guid.NewGuid():N}@team.test";
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), owner, ownerInvite)).StatusCode);
        var ownerId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE normalized_email = '{owner.ToUpperInvariant()}'");
        using var ownerClient = factory.CreateClient(await factory.CreateTokenAsync(ownerId));
        var made = await ownerClient.PostAsJsonAsync($"/api/v1/projects/{slug}/invites", new { role = ProjectRoles.Owner });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var code = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        // The administrator demotes the owner: the owner's unused invite no longer grants anything.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/projects/{slug}/members", new { email = owner, role = ProjectRoles.Viewer })).StatusCode);
        var late = $"late-{Guid.NewGuid():N}@team.test";
        Assert.Equal(HttpStatusCode.OK, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), late, code)).StatusCode);
        Assert.Equal(0, await Registration.AccountsAsync(factory, late));
    }
}

/// <summary>Issue 13, item 4: the e-mail domain allow-list.</summary>
public sealed class DomainRegistrationAttackTests(DomainRegistrationFactory factory) : IClassFixture<DomainRegistrationFactory>
{
    [Fact]
    public async Task Item4_Only_allowed_email_domains_register()
    {
        _ = factory.AdminToken;
        var outsider = $"out-{Guid.NewGuid():N}@evil.test";
        Assert.Equal(HttpStatusCode.OK, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), outsider)).StatusCode);
        Assert.Equal(0, await Registration.AccountsAsync(factory, outsider));

        var colleague = $"in-{Guid.NewGuid():N}@team.test";
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), colleague)).StatusCode);
        Assert.Equal(1, await Registration.AccountsAsync(factory, colleague));
    }
}

/// <summary>Issue 13, item 4: a new account (open registration) has no role anywhere, so the default project stays closed to it.</summary>
[Collection(SharedHost.Attacks)]
public sealed class NewAccountAttackTests(SweepWebFactory factory)
{
    [Fact]
    public async Task Item4_A_new_account_sees_no_sweep_in_default_and_no_members_emails()
    {
        using var admin = factory.CreateClient();
        var name = $"default-secret-{Guid.NewGuid():N}";
        var sweep = await SecurityWorld.CreateSweepAsync(admin, name, project: null);

        var email = $"new-{Guid.NewGuid():N}@evil.test";
        using var browser = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(browser, email)).StatusCode);
        var userId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE normalized_email = '{email.ToUpperInvariant()}'");
        Assert.Equal(0, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM project_members WHERE user_id = '{userId}'"));

        Assert.DoesNotContain(name, await browser.GetStringAsync("/api/v1/sweeps"));
        Assert.DoesNotContain(name, await browser.GetStringAsync("/"));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/api/v1/sweeps/{sweep}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/sweeps/{sweep}")).StatusCode);
        var members = await browser.GetAsync($"/api/v1/projects/{ProjectRecord.DefaultSlug}/members");
        Assert.Equal(HttpStatusCode.NotFound, members.StatusCode);
        Assert.DoesNotContain(SweepWebFactory.AdminEmail, await members.Content.ReadAsStringAsync());
        var projects = await browser.GetFromJsonAsync<JsonElement>("/api/v1/projects");
        Assert.DoesNotContain(projects.EnumerateArray(), p => p.GetProperty("slug").GetString() == ProjectRecord.DefaultSlug);
    }
}

/// <summary>Issue 13, item 4: a misspelt registration mode or domain stops the app at start instead of running with a guess.</summary>
public sealed class RegistrationOptionsTests
{
    [Theory]
    [InlineData("Accounts:Registration", "wide-open", "Registration")]
    [InlineData("Accounts:AllowedEmailDomains:0", "@team.test", "AllowedEmailDomains")]
    public async Task Item4_Registration_options_are_validated_at_start(string key, string value, string named)
    {
        await using var factory = new MisconfiguredFactory(key, value);
        await ((IAsyncLifetime)factory).InitializeAsync();
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => factory.Server);
            Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await factory.Database.DisposeAsync();
        }
    }

    private sealed class MisconfiguredFactory(string key, string value) : SweepWebFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(key, value);
        }
    }
}
