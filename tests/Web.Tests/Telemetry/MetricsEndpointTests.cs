using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Sweep.Data.Entities;
using Sweep.Web.Tests.Security;

namespace Sweep.Web.Tests.Telemetry;

/// <summary>
/// Issue 18, item 6: /metrics for administrators. Prometheus scrapes it with a personal access token; the gauges read
/// the real tables (trials, workers, webhook_deliveries) of the throwaway database.
/// </summary>
[Collection(ProcessWideMeasurementCollection.Name)]
public sealed class MetricsEndpointTests(MetricsWebFactory factory) : IClassFixture<MetricsWebFactory>
{
    [Fact]
    public async Task An_administrators_scrape_shows_the_queue_the_workers_and_the_webhook_failures_from_real_rows()
    {
        using var admin = factory.CreateClient(factory.AdminToken);
        var before = await ScrapeAsync(admin);
        var queued = Value(before, "sweep_trials", "state", "queued");
        var failed = Value(before, "sweep_webhook_deliveries", "state", "failed");

        await SecurityWorld.CreateSweepAsync(admin, "metrics-sweep", project: null); // two cells, both queued
        var worker = $"metrics-{Guid.NewGuid():N}"[..20];
        await factory.Database.ScalarAsync<int>(
            $"""
            INSERT INTO workers (name, host, device, version, queues, state, consecutive_failures, trials_run, started_at, heartbeat_at)
            VALUES ('{worker}', 'h', 'cpu', '0', 'cpu', 'active', 0, 0, now(), now() - interval '5 minutes') RETURNING 1
            """);
        await factory.Database.ScalarAsync<int>(
            $"""
            WITH w AS (
                INSERT INTO webhooks (id, project_id, url, events, protected_secret, preset, created_at)
                VALUES (gen_random_uuid(), '{ProjectRecord.DefaultId}', 'https://hooks.test/x', ARRAY['trial.failed'], 'x', 'json', now()) RETURNING id)
            INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, state, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), w.id, 'trial.failed', '[]', 'failed', 5, now(), now() FROM w RETURNING 1
            """);

        // The gauges come from a snapshot re-read once a second here: poll until it shows the new rows.
        var text = await ScrapeUntilAsync(admin, t => Value(t, "sweep_trials", "state", "queued") == queued + 2);
        Assert.Equal(queued + 2, Value(text, "sweep_trials", "state", "queued"));
        Assert.Equal(failed + 1, Value(text, "sweep_webhook_deliveries", "state", "failed"));
        Assert.True(Value(text, "sweep_workers", "state", "unresponsive") >= 1, text);
        Assert.True(Value(text, "sweep_worker_heartbeat_age_seconds", "worker", worker) >= 300, text);
        Assert.NotNull(Value(text, "sweep_trials_completed_last_hour", null, null));
        Assert.Contains("# TYPE sweep_trials gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_scrape_gets_401()
    {
        using var anonymous = factory.CreateAnonymousClient();
        using var response = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("sweep_trials", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_administrators_token_gets_403()
    {
        var (_, token) = await factory.CreateUserAsync($"metrics-{Guid.NewGuid():N}@team.test", SecurityWorld.Password, defaultRole: ProjectRoles.Owner);
        using var user = factory.CreateClient(token);
        using var response = await user.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("sweep_trials", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return text;
    }

    private static async Task<string> ScrapeUntilAsync(HttpClient client, Func<string, bool> done)
    {
        var text = "";
        for (var i = 0; i < 40 && !done(text); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            text = await ScrapeAsync(client);
        }

        return text;
    }

    /// <summary>The value of the series <paramref name="metric"/> whose <paramref name="label"/> is <paramref name="value"/> (any label when null); null: none.</summary>
    private static double? Value(string text, string metric, string? label, string? value)
    {
        var pattern = $"^{Regex.Escape(metric)}(\\{{(?<labels>[^}}]*)\\}})? (?<value>[^ \\r\\n]+)";
        foreach (Match m in Regex.Matches(text, pattern, RegexOptions.Multiline))
        {
            if (label is null || m.Groups["labels"].Value.Contains($"{label}=\"{value}\"", StringComparison.Ordinal))
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
