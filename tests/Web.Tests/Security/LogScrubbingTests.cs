using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Sweep.Web.Tests.Security;

/// <summary>Every log line the app writes, with its structured values, scopes and exception, down to Debug.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    line.Append(System.Globalization.CultureInfo.InvariantCulture, $" | {key}={value}");
                }
            }

            owner._scopes.ForEachScope((scope, sb) => sb.Append(" | scope ").Append(scope), line);
            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            owner.Lines.Enqueue(line.ToString());
        }
    }
}

public sealed class LoggedWebFactory : SweepWebFactory
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A provider rule beats the category rules of appsettings, so this provider sees everything down to Debug,
        // the request lines of Microsoft.AspNetCore.Hosting included.
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Debug));
    }
}

/// <summary>A full session (register, sign in, tokens, API calls, share link) leaves no token or password in the logs.</summary>
public sealed class LogScrubbingTests(LoggedWebFactory factory) : IClassFixture<LoggedWebFactory>
{
    [Fact]
    public async Task Logs_of_a_full_session_contain_neither_tokens_nor_passwords()
    {
        _ = factory.AdminToken;
        const string password = "Log-secret-password-42";
        var email = $"logs-{Guid.NewGuid():N}@team.test";
        using var browser = factory.CreateAnonymousClient();
        var registered = await Forms.PostAsync(browser, "/account/register", "register",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        await factory.GrantAsync(email, Sweep.Data.Entities.ProjectRoles.Editor);
        Assert.Equal(HttpStatusCode.OK, (await Forms.SignInAsync(factory.CreateAnonymousClient(), email, "Wrong-password-42")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(browser, email, password)).StatusCode);

        // A token created on the account page, shown once in its HTML.
        var page = await Forms.PostAsync(browser, "/account", "create-token", new Dictionary<string, string> { ["Input.Name"] = "logs", ["Input.Scope"] = "read-write" });
        var token = Regex.Match(await page.Content.ReadAsStringAsync(), "id=\"new-token\">(swp_[^<]+)<").Groups[1].Value;
        Assert.StartsWith("swp_", token);

        using var api = factory.CreateClient(token);
        var id = await SecurityWorld.CreateSweepAsync(api, "logged", project: null);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/sweeps/{id}/heatmap")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/sweeps/{id}/export/trials.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/sweeps/{id}/pause", null)).StatusCode);
        var share = (await (await api.PostAsJsonAsync($"/api/v1/sweeps/{id}/share-links", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateAnonymousClient().GetAsync($"/s/{share}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient(share).GetAsync($"/api/v1/sweeps/{id}")).StatusCode);
        var second = (await (await api.PostAsJsonAsync("/api/v1/tokens", new { name = "second" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient(second).GetAsync("/api/v1/sweeps")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient(second + "x").GetAsync("/api/v1/sweeps")).StatusCode);

        var lines = factory.Logs.Lines.ToArray();
        Assert.True(lines.Length > 50, $"only {lines.Length} log lines were captured");
        Assert.Contains(lines, l => l.Contains("/s/sws_[redacted]", StringComparison.Ordinal));
        foreach (var secret in new[] { password, "Wrong-password-42", SweepWebFactory.AdminPassword, token, token[4..], share, share[4..], second, second[4..], factory.AdminToken })
        {
            var leaks = lines.Where(l => l.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"a secret appears in {leaks.Count} log lines, e.g.: {leaks.FirstOrDefault()?.Replace(secret, "<SECRET>", StringComparison.Ordinal)}");
        }
    }
}
