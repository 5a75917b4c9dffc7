using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Sweep.Data.Entities;

namespace Sweep.Web.Tests.Security;

/// <summary>A deployment started without SWEEP_ADMIN_*: no account, and a setup code in its log.</summary>
public sealed class NoAdminWebFactory : SweepWebFactory
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override bool ProvisionAdmin => false;

    protected override string? Registration => Web.Access.AccountOptions.Open; // even open registration must not hand out the administrator

    public string SetupCode()
    {
        _ = Server;
        var match = Regex.Match(string.Join('\n', Logs.Lines), @"First administrator setup code: (swa_[A-Za-z0-9_\-]+)");
        Assert.True(match.Success, "the log has no setup code line");
        return match.Groups[1].Value;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

internal static class FirstAdmin
{
    public static Task<long> AdministratorsAsync(SweepWebFactory factory) =>
        factory.Database.ScalarAsync<long>("SELECT count(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = 'admin'");
}

/// <summary>Issue 13, item 5: the first account no longer becomes the administrator; only the setup code makes one.</summary>
public sealed class FirstAdminAttackTests(NoAdminWebFactory factory) : IClassFixture<NoAdminWebFactory>
{
    [Fact]
    public async Task Item5_A_stranger_without_the_setup_code_cannot_become_the_first_administrator()
    {
        var code = factory.SetupCode();
        Assert.Equal(0, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM users"));

        // First to register, with open registration: an ordinary account without any role.
        var stranger = $"stranger-{Guid.NewGuid():N}@evil.test";
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), stranger)).StatusCode);
        Assert.Equal(0, await FirstAdmin.AdministratorsAsync(factory));
        Assert.Equal(0, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM project_members"));

        // A guessed code, or the code's kind with other characters, does nothing.
        var guesser = $"guess-{Guid.NewGuid():N}@evil.test";
        Assert.Equal(HttpStatusCode.OK, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), guesser, code[..^2] + "xx")).StatusCode);
        Assert.Equal(0, await Registration.AccountsAsync(factory, guesser));
        Assert.Equal(0, await FirstAdmin.AdministratorsAsync(factory));

        // Only its hash is stored.
        Assert.Equal(0, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM invites WHERE token_hash = '{code}'"));
        Assert.Equal(1, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM invites WHERE grants_admin AND token_hash = '{Web.Access.SecretTokens.Hash(code)}'"));
    }
}

/// <summary>Issue 13, item 5: the setup code from the log makes the administrator, once.</summary>
public sealed class SetupCodeTests(NoAdminWebFactory factory) : IClassFixture<NoAdminWebFactory>
{
    [Fact]
    public async Task Item5_The_setup_code_from_the_log_makes_the_administrator_and_works_once()
    {
        var code = factory.SetupCode();
        var email = $"operator-{Guid.NewGuid():N}@team.test";
        using var browser = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Registration.RegisterAsync(browser, email, page: "/account/register?setup=" + code)).StatusCode);
        Assert.Equal(1, await FirstAdmin.AdministratorsAsync(factory));
        var userId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE normalized_email = '{email.ToUpperInvariant()}'");
        Assert.Equal(ProjectRoles.Owner, await factory.Database.ScalarAsync<string>(
            $"SELECT role FROM project_members WHERE user_id = '{userId}' AND project_id = '{ProjectRecord.DefaultId}'"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire")).StatusCode);

        var second = $"second-{Guid.NewGuid():N}@evil.test";
        Assert.Equal(HttpStatusCode.OK, (await Registration.RegisterAsync(factory.CreateAnonymousClient(), second, page: "/account/register?setup=" + code)).StatusCode);
        Assert.Equal(0, await Registration.AccountsAsync(factory, second));
        Assert.Equal(1, await FirstAdmin.AdministratorsAsync(factory));
    }
}
