using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>The trial page and the sweep page's curves and export sections, as prerendered HTML.</summary>
[Collection(SharedHost.Pages)]
public sealed class TrialPageTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(Guid Sweep, List<Guid> Trials)> CreateAsync(string name, string seeds = "[1]")
    {
        var body = $$$"""
            {"name":"{{{name}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":4,"lrDropEpochs":[],"seeds":{{{seeds}}}}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        return (id, sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList());
    }

    [Fact]
    public async Task The_trial_page_shows_state_failure_progress_configuration_environment_and_actions()
    {
        var (sweep, trials) = await CreateAsync("trial-page");
        var trial = trials[1];
        await factory.Database.ScalarAsync<int>(
            $$"""
            UPDATE trials SET state = 'failed', failure_kind = 'diverged', error = 'Loss became NaN at epoch 3', current_epoch = 3,
                   config = '{"batchSize":256,"learningRate":0.1414,"optimizer":{"momentum":0.9},"lrDropEpochs":[10,20]}'::jsonb,
                   environment = '{"torchSharp":"0.107.0","device":"cpu"}'::jsonb
             WHERE id = '{{trial}}' RETURNING 1
            """);
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trial}', k, s * 100, s, 0.5, now() FROM generate_series(0, 3) s, unnest(array['trainAccuracy', 'valAccuracy', 'learningRate', 'weightDistance']) k RETURNING 1");

        var response = await _client.GetAsync($"/trials/{trial}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Trial B=256 G=128", html);
        Assert.Contains($"href=\"sweeps/{sweep}\"", html);
        Assert.Contains("<span class=\"badge failed\" id=\"trial-state\">failed</span>", html);
        Assert.Contains("<dd id=\"failure-kind\">diverged</dd>", html);
        Assert.Contains("Loss became NaN at epoch 3", html);
        Assert.Contains("epoch 3 / 4", html);

        // Configuration and environment, flattened.
        Assert.Contains("<code>learningRate</code></th><td>0.1414</td>", html);
        Assert.Contains("<code>optimizer.momentum</code></th><td>0.9</td>", html);
        Assert.Contains("<code>lrDropEpochs</code></th><td>[10, 20]</td>", html);
        Assert.Contains("<code>torchSharp</code></th><td>0.107.0</td>", html);

        // A failed trial can be retried, not cancelled; it has no checkpoint yet.
        Assert.Matches("<button[^>]*id=\"cancel-trial\"[^>]*disabled", html);
        Assert.DoesNotMatch("<button[^>]*id=\"retry-trial\"[^>]*disabled", html);
        Assert.DoesNotContain("id=\"download-checkpoint\"", html);
        Assert.Contains("No checkpoint yet: a retry starts from the first epoch.", html);
        Assert.DoesNotContain("resumes from", html);

        // Its curves are drawn from the recorded points.
        Assert.Contains("id=\"learning-curves\"", html);
        Assert.Contains("id=\"learning-curves-container\" data-points=\"8\"", html);
        Assert.Contains("id=\"distance-chart-container\" data-points=\"3\"", html); // step 0 is off the log axis
        Assert.Contains("id=\"lr-schedule-container\" data-points=\"4\"", html);
    }

    [Fact]
    public async Task A_queued_trial_can_be_cancelled_and_a_checkpoint_is_offered_for_download()
    {
        var (_, trials) = await CreateAsync("trial-page-checkpoint");
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at) VALUES ('{trials[0]}', 2, 936, '\\x0102'::bytea, now()) RETURNING 1");

        var html = await _client.GetStringAsync($"/trials/{trials[0]}");

        Assert.DoesNotMatch("<button[^>]*id=\"cancel-trial\"[^>]*disabled", html);
        Assert.Matches("<button[^>]*id=\"retry-trial\"[^>]*disabled", html);
        Assert.Contains($"href=\"/api/v1/trials/{trials[0]}/checkpoint\"", html);
        Assert.Contains("Download checkpoint (epoch 2)", html);
        Assert.Contains("Resolved when a worker starts the trial.", html);
        Assert.Contains("No points yet: no epoch recorded yet.", html);
    }

    [Fact]
    public async Task The_trial_page_and_api_list_every_attempt_and_show_the_current_attempts_start()
    {
        var (_, trials) = await CreateAsync("trial-page-attempts");
        var trial = trials[0];
        // A first run that failed on one worker, and a second one running on another; the trial's own start time is
        // the first run's, as a lease taken over keeps it. No lease owner: the trigger adds no attempt of its own.
        await factory.Database.ScalarAsync<int>(
            $$"""
            INSERT INTO trial_attempts (trial_id, number, worker, started_at, ended_at, outcome, failure_kind, error) VALUES
              ('{{trial}}', 1, 'worker-a:11', '2026-11-01 10:00:00+00', '2026-11-01 10:05:00+00', 'failed', 'out-of-memory', 'CUDA out of memory'),
              ('{{trial}}', 2, 'worker-b:22', '2026-11-01 11:00:00+00', NULL, NULL, NULL, NULL)
            RETURNING 1
            """);
        await factory.Database.ScalarAsync<int>($"UPDATE trials SET state = 'running', attempt = 1, started_at = '2026-11-01 10:00:00+00' WHERE id = '{trial}' RETURNING 1");

        var html = await _client.GetStringAsync($"/trials/{trial}");

        Assert.Contains("<dd id=\"trial-started\">2026-11-01 11:00:00 UTC</dd>", html);
        Assert.Contains("<dd id=\"trial-attempt\">2</dd>", html);
        Assert.Contains("id=\"attempts\"", html);
        var rows = System.Text.RegularExpressions.Regex.Matches(html, "<tr class=\"attempt [^\"]+\">(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.Equal(2, rows.Count);
        Assert.Contains("2026-11-01 10:00:00 UTC", rows[0].Value);
        Assert.Contains("2026-11-01 10:05:00 UTC", rows[0].Value);
        Assert.Contains("worker-a:11", rows[0].Value);
        Assert.Contains(">failed</td>", rows[0].Value);
        Assert.Contains("out-of-memory", rows[0].Value);
        Assert.Contains("CUDA out of memory", rows[0].Value);
        Assert.Contains("worker-b:22", rows[1].Value);
        Assert.Contains(">running</td>", rows[1].Value);

        var api = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{trial}");
        var attempts = api.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal((1, "worker-a:11", "failed", "out-of-memory"), (attempts[0].GetProperty("number").GetInt32(), attempts[0].GetProperty("worker").GetString(),
            attempts[0].GetProperty("outcome").GetString(), attempts[0].GetProperty("failureKind").GetString()));
        Assert.Equal(DateTimeOffset.Parse("2026-11-01T10:05:00Z", System.Globalization.CultureInfo.InvariantCulture), attempts[0].GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, attempts[1].GetProperty("endedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, attempts[1].GetProperty("outcome").ValueKind);
    }

    [Fact]
    public async Task The_trial_page_and_api_show_the_trainers_latest_peak_memory_and_cpu_time()
    {
        var (_, trials) = await CreateAsync("trial-page-resources");
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trials[0]}', k, s * 10, s, CASE k WHEN 'peakRssMiB' THEN 700 + s ELSE 2.5 * s END, now() FROM generate_series(0, 3) s, unnest(array['peakRssMiB', 'cpuSeconds']) k RETURNING 1");

        var api = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{trials[0]}");
        var metrics = api.GetProperty("trial").GetProperty("metrics");
        Assert.Equal(703, metrics.GetProperty("peakRssMiB").GetDouble());
        Assert.Equal(7.5, metrics.GetProperty("cpuSeconds").GetDouble());

        var html = await _client.GetStringAsync($"/trials/{trials[0]}");
        Assert.Contains("<th scope=\"row\">trainer peak memory (MiB)</th><td>703 MiB</td>", html);
        Assert.Contains("<th scope=\"row\">trainer CPU time (s)</th><td>7.5 s</td>", html);
    }

    [Fact]
    public async Task A_trial_never_started_has_no_attempts()
    {
        var (_, trials) = await CreateAsync("trial-page-no-attempts");

        Assert.Contains("No worker has started this trial yet.", await _client.GetStringAsync($"/trials/{trials[0]}"));
        var api = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{trials[0]}");
        Assert.Empty(api.GetProperty("attempts").EnumerateArray());
    }

    [Fact]
    public async Task An_unknown_trial_says_so()
    {
        var html = await _client.GetStringAsync($"/trials/{Guid.NewGuid()}");

        Assert.Contains("Trial not found", html);
    }

    [Fact]
    public async Task The_sweep_page_links_every_trial_and_offers_curves_and_exports()
    {
        var (sweep, trials) = await CreateAsync("sweep-page-curves", seeds: "[1, 2, 3, 4]");
        Assert.Equal(8, trials.Count);
        await factory.Database.ScalarAsync<int>($"UPDATE trials SET current_epoch = 1, state = 'running' WHERE id = '{trials[7]}' RETURNING 1");

        var html = await _client.GetStringAsync($"/sweeps/{sweep}");

        Assert.All(trials, t => Assert.Contains($"href=\"trials/{t}\"", html));
        Assert.Contains("id=\"curves-title\"", html);
        Assert.Contains("id=\"learning-curves\"", html);
        Assert.Contains("id=\"distance-chart\"", html);
        Assert.Contains("id=\"lr-schedule\"", html);
        Assert.Contains($"href=\"/api/v1/sweeps/{sweep}/export/trials.csv\"", html);
        Assert.Contains($"href=\"/api/v1/sweeps/{sweep}/export/metrics.json\"", html);

        // Plotted by default: B = 128 (the baseline, B = G = B_ref, and the smallest batch) and B = 256 (the largest),
        // each with all four seeds, so that their bands are whole.
        Assert.Equal(8, System.Text.RegularExpressions.Regex.Count(html, "<input type=\"checkbox\" id=\"plot-[^\"]+\" checked"));
    }
}
