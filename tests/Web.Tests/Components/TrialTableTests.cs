using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sweep.Domain.Results;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Components;

/// <summary>The sweep page's trial table: its order, its state filter, its best row, and how the page renders them.</summary>
[Collection(SharedHost.Pages)]
public sealed class TrialTableTests(SweepWebFactory factory)
{
    private static TrialView Trial(int batch, string state, double? valAccuracy = null, string? failureKind = null) => new(
        Guid.NewGuid(), batch, batch, 1, 1, "sqrt", "vectorized", "sequential", state, 1, 2, 1, 0, failureKind, null, null, null,
        valAccuracy is { } v ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = v } : new Dictionary<string, double>());

    [Fact]
    public void Sorting_by_a_metric_puts_trials_without_it_last_in_either_direction()
    {
        var trials = new[] { Trial(64, "queued"), Trial(128, "completed", 0.8), Trial(256, "completed", 0.9), Trial(512, "failed", 0.7) };

        var ascending = TrialTableOrder.Apply(trials, null, "val-acc", descending: false);
        var descending = TrialTableOrder.Apply(trials, null, "val-acc", descending: true);

        Assert.Equal([512, 128, 256, 64], ascending.Select(t => t.BatchSize));
        Assert.Equal([256, 128, 512, 64], descending.Select(t => t.BatchSize));
        Assert.Equal([64, 128, 256, 512], TrialTableOrder.Apply(trials, null, null, false).Select(t => t.BatchSize));
        Assert.Equal([512, 256, 128, 64], TrialTableOrder.Apply(trials, null, "batch", true).Select(t => t.BatchSize));
    }

    [Fact]
    public void The_state_filter_keeps_one_state_and_the_best_is_the_top_completed_trial()
    {
        var failedHigh = Trial(512, "failed", 0.99, "diverged");
        var best = Trial(256, "completed", 0.9);
        var trials = new[] { Trial(64, "queued"), Trial(128, "completed", 0.8), best, failedHigh };

        Assert.Equal([failedHigh], TrialTableOrder.Apply(trials, "failed", null, false));
        Assert.Equal(4, TrialTableOrder.Apply(trials, TrialTableOrder.AllStates, null, false).Count);
        Assert.Equal(best.Id, TrialTableOrder.Best(trials));
        Assert.Null(TrialTableOrder.Best([Trial(64, "queued"), failedHigh]));
        // By failure kind: the failed trial first, the others after it in their grid order.
        Assert.Equal([512, 64, 128, 256], TrialTableOrder.Apply(trials, null, "failure", false).Select(t => t.BatchSize));
    }

    [Fact]
    public void Retry_text_follows_whether_a_checkpoint_exists()
    {
        Assert.Equal("Requeued. It resumes from its checkpoint at epoch 3.", RetryText.Requeued(3));
        Assert.DoesNotContain("resumes", RetryText.Requeued(null));
        Assert.DoesNotContain("resumes", RetryText.NoCheckpoint(retryable: true));
        Assert.Equal("No checkpoint yet.", RetryText.NoCheckpoint(retryable: false));
    }

    [Fact]
    public async Task The_sweep_page_renders_the_table_with_a_filter_sort_buttons_failure_kinds_and_the_best_row()
    {
        using var client = factory.CreateClient();
        var body = """
            {"name":"trial-table","grid":{"batchSize":[64,128,256],"ghostBatchSize":[64]},"training":{"epochs":2,"lrDropEpochs":[],"seeds":[1]}}
            """;
        var response = await client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}")).GetProperty("trials").EnumerateArray()
            .ToDictionary(t => t.GetProperty("batchSize").GetInt32(), t => t.GetProperty("id").GetGuid());
        await factory.Database.ScalarAsync<int>(
            $"""
            UPDATE trials SET state = 'completed', final_val_accuracy = CASE batch_size WHEN 64 THEN 0.81 ELSE 0.86 END
             WHERE id IN ('{trials[64]}', '{trials[128]}') RETURNING 1
            """);
        await factory.Database.ScalarAsync<int>($"UPDATE trials SET state = 'failed', failure_kind = 'out-of-memory', error = 'CUDA out of memory' WHERE id = '{trials[256]}' RETURNING 1");

        var html = await client.GetStringAsync($"/sweeps/{id}");

        Assert.Matches("<div class=\"table-scroll\">\\s*<table class=\"grid\" id=\"trials\">", html);
        Assert.Contains("id=\"trial-state-filter\"", html);
        Assert.Contains("<option value=\"failed\">failed (1)</option>", html);
        Assert.Contains("id=\"sort-val-acc\"", html);
        Assert.Contains("id=\"sort-failure\"", html);
        Assert.DoesNotContain("aria-sort", html); // the grid order until a header is clicked
        Assert.Contains("<td class=\"failure-kind\">out-of-memory</td>", html);

        var best = Assert.Single(Regex.Matches(html, "<tr class=\"trial completed best\">.*?</tr>", RegexOptions.Singleline));
        Assert.Contains($"trials/{trials[128]}", best.Value);
        Assert.Contains("<span class=\"visually-hidden\"> (best)</span>", best.Value);
        Assert.Single(Regex.Matches(html, "class=\"visually-hidden\"> \\(best\\)"));
    }
}
