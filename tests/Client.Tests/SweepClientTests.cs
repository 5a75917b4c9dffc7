using System.Net;
using Sweep.Domain.Sweeps;

namespace Sweep.Client.Tests;

/// <summary>The typed client driving the real API over HTTP, against a real PostgreSQL.</summary>
public sealed class SweepClientTests(ClientFactory factory) : IClassFixture<ClientFactory>
{
    private readonly SweepClient _client = factory.Client;

    private static SweepRequest Request(string name, IReadOnlyList<int>? batchSizes = null, IReadOnlyList<int>? seeds = null) => new()
    {
        Name = name,
        Grid = new GridSpec { BatchSize = batchSizes ?? [128, 256], GhostBatchSize = [128] },
        Training = new TrainingRequest { Epochs = 1, LrDropEpochs = [], Seeds = seeds ?? [1] },
    };

    private Task<long> CountAsync(string sql) => factory.Database.ScalarAsync<long>(sql);

    [Fact]
    public async Task Creating_twice_with_one_idempotency_key_makes_one_sweep()
    {
        var key = Guid.NewGuid().ToString();

        var first = await _client.CreateSweepAsync(Request("client-idem"), key);
        var second = await _client.CreateSweepAsync(Request("client-idem"), key);

        Assert.Equal(first.Id, second.Id);
        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(2, second.TrialCount);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'client-idem'"));
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM trials WHERE sweep_id = '{first.Id}'"));
    }

    [Fact]
    public async Task Guard_flags_cell_aggregates_and_seed_bands_read_as_typed_records()
    {
        var created = await _client.CreateSweepAsync(Request("client-trust", batchSizes: [128], seeds: [1, 2]));
        await factory.Database.ScalarAsync<int>($"""
            WITH done AS (UPDATE trials SET state = 'completed', current_epoch = 1, final_val_accuracy = 0.9 + seed / 100.0, final_steps = 1000
                           WHERE sweep_id = '{created.Id}' RETURNING id, seed)
            INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
            SELECT id, k.key, s, 0, CASE k.key WHEN 'valAccuracy' THEN s / 10.0 + seed / 100.0 ELSE 0.5 END, now()
              FROM done, generate_series(0, 2) s, (VALUES ('valAccuracy'), ('runningStatsInitialWeight')) k(key)
             WHERE k.key = 'valAccuracy' OR seed = 1
            RETURNING 1
            """);

        var sweep = await _client.GetSweepAsync(created.Id);
        var cells = await _client.GetCellAggregatesAsync(created.Id);
        var curves = await _client.GetGroupedCurvesAsync(created.Id, "keys=valAccuracy");

        Assert.Equal(["running-stats"], sweep.Trials.Single(t => t.Seed == 1).Flags);
        Assert.Empty(sweep.Trials.Single(t => t.Seed == 2).Flags);
        var accuracy = cells.Single(c => c.Metric == "valAccuracy");
        Assert.Equal(2, accuracy.N);
        Assert.Equal(0.915, accuracy.Mean!.Value, 9);
        Assert.True(accuracy.Ci95Low < 0.915 && accuracy.Ci95High > 0.915);
        Assert.Null(accuracy.ToBaselineMean); // the only cell is the baseline
        Assert.Equal(["running-stats"], accuracy.Flags);
        var group = Assert.Single(curves.Groups);
        Assert.Equal([1, 2], group.Seeds);
        Assert.Equal([0.015, 0.115, 0.215], group.Bands["valAccuracy"].Select(p => Math.Round(p.Mean, 9)));
    }

    [Fact]
    public async Task Reusing_a_key_for_another_sweep_is_refused()
    {
        var key = Guid.NewGuid().ToString();
        await _client.CreateSweepAsync(Request("client-idem-a"), key);

        var error = await Assert.ThrowsAsync<SweepApiException>(() => _client.CreateSweepAsync(Request("client-idem-b"), key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Contains(key, error.Problem!.Detail);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'client-idem-b'"));
    }

    [Fact]
    public async Task Validation_errors_surface_as_field_errors()
    {
        var bad = Request("client-invalid", batchSizes: [0, 128]) with
        {
            Dataset = "imagenet",
            Training = new TrainingRequest { Epochs = 1, LearningRate = double.NaN },
        };

        var error = await Assert.ThrowsAsync<SweepApiException>(() => _client.CreateSweepAsync(bad));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Contains(error.Errors["grid.batchSize"], m => m.Contains("got 0", StringComparison.Ordinal));
        Assert.Contains(error.Errors["training.learningRate"], m => m.Contains("finite", StringComparison.Ordinal));
        Assert.Contains(error.Errors["dataset"], m => m.Contains("imagenet", StringComparison.Ordinal));
        Assert.Contains("training.learningRate", error.Message);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'client-invalid'"));
    }

    [Fact]
    public async Task Not_found_is_an_exception_with_a_problem()
    {
        var error = await Assert.ThrowsAsync<SweepApiException>(() => _client.GetSweepAsync(Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal(404, error.Problem!.Status);
    }

    [Fact]
    public async Task Cursor_paging_returns_every_sweep_exactly_once()
    {
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await _client.CreateSweepAsync(Request($"client-page-{i}", batchSizes: [128]))).Id);
        }

        var pages = 0;
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await _client.ListSweepsAsync(new SweepListQuery(Name: "client-page-", Limit: 2), cursor);
            seen.AddRange(page.Items.Select(s => s.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created.AsEnumerable().Reverse(), seen);
        var all = await _client.AllSweepsAsync(new SweepListQuery(Name: "client-page-", OrderBy: "name", Limit: 2)).ToListAsync();
        Assert.Equal(created, all.Select(s => s.Id));

        // The project and example filters reach the API; the sweeps went to the default project and are no examples.
        var inDefault = await _client.AllSweepsAsync(new SweepListQuery(Name: "client-page-", Project: "default", Example: false)).ToListAsync();
        Assert.Equal(5, inDefault.Count);
        Assert.All(inDefault, s => Assert.Equal(("default", "Default", false), (s.ProjectSlug, s.ProjectName, s.IsExample)));
        Assert.Empty((await _client.ListSweepsAsync(new SweepListQuery(Name: "client-page-", Example: true))).Items);
    }

    [Fact]
    public async Task Cursor_paging_returns_every_trial_exactly_once_in_the_requested_order()
    {
        var sweep = await _client.CreateSweepAsync(Request("client-trials", batchSizes: [128, 256, 512], seeds: [1, 2, 3]));
        await CountAsync($"UPDATE trials SET state = 'completed', final_val_accuracy = batch_size / 1000.0 + seed / 10000.0 WHERE sweep_id = '{sweep.Id}' RETURNING 1::bigint");

        var trials = await _client.AllTrialsAsync(sweep.Id, new TrialListQuery(OrderBy: "valAccuracy", Descending: true, Limit: 2)).ToListAsync();

        Assert.Equal(9, trials.Count);
        Assert.Equal(9, trials.Select(t => t.Id).Distinct().Count());
        var accuracies = trials.Select(t => t.Metrics["valAccuracy"]).ToList();
        Assert.Equal(accuracies.OrderDescending(), accuracies);

        var filtered = await _client.AllTrialsAsync(sweep.Id, new TrialListQuery(BatchSize: 256)).ToListAsync();
        Assert.Equal([1, 2, 3], filtered.Select(t => t.Seed));

        // The query-string overload the reproduction scripts use still pages the same way.
        Assert.Equal(9, await _client.AllTrialsAsync(sweep.Id, "limit=4").CountAsync());
    }

    [Fact]
    public async Task A_trials_attempts_come_through_the_client()
    {
        var sweep = await _client.CreateSweepAsync(Request("client-attempts", batchSizes: [128]));
        var trial = await _client.AllTrialsAsync(sweep.Id).SingleAsync();
        await CountAsync($"INSERT INTO trial_attempts (trial_id, number, worker, started_at, ended_at, outcome, failure_kind, error) VALUES ('{trial.Id}', 1, 'w:1', now() - interval '1 minute', now(), 'failed', 'diverged', 'Loss became NaN') RETURNING 1::bigint");

        var attempt = Assert.Single((await _client.GetTrialAsync(trial.Id)).Attempts);

        Assert.Equal((1, "w:1", "failed", "diverged", "Loss became NaN"), (attempt.Number, attempt.Worker, attempt.Outcome, attempt.FailureKind, attempt.Error));
        Assert.True(attempt.EndedAt > attempt.StartedAt);
    }

    [Fact]
    public async Task A_trials_logs_page_by_cursor_through_the_client()
    {
        var sweep = await _client.CreateSweepAsync(Request("client-logs", batchSizes: [128]));
        var trial = await _client.AllTrialsAsync(sweep.Id).SingleAsync();
        var empty = await _client.GetTrialLogsAsync(trial.Id);
        Assert.Equal(("", null), (empty.Text, empty.Attempt));

        await CountAsync($"INSERT INTO trial_attempts (trial_id, number, worker, started_at) VALUES ('{trial.Id}', 1, 'w:1', now()), ('{trial.Id}', 2, 'w:2', now()) RETURNING 1::bigint");
        await CountAsync($"INSERT INTO trial_log_chunks (trial_id, attempt, stream, stream_offset, text, bytes, at) VALUES ('{trial.Id}', 1, 'stdout', 0, E'one\\n', 4, now()), ('{trial.Id}', 2, 'stdout', 0, E'a\\n', 2, now()), ('{trial.Id}', 2, 'stderr', 0, E'b\\n', 2, now()) RETURNING 1::bigint");

        var latest = await _client.GetTrialLogsAsync(trial.Id);
        Assert.Equal(("a\nb\n", 2), (latest.Text, latest.Attempt));
        Assert.Equal("", (await _client.GetTrialLogsAsync(trial.Id, latest.Cursor)).Text);
        await CountAsync($"INSERT INTO trial_log_chunks (trial_id, attempt, stream, stream_offset, text, bytes, at) VALUES ('{trial.Id}', 2, 'stdout', 2, E'c\\n', 2, now()) RETURNING 1::bigint");
        Assert.Equal("c\n", (await _client.GetTrialLogsAsync(trial.Id, latest.Cursor)).Text);
        Assert.Equal("one\n", (await _client.GetTrialLogsAsync(trial.Id, attempt: 1)).Text);

        var bad = await Assert.ThrowsAsync<SweepApiException>(() => _client.GetTrialLogsAsync(trial.Id, "not-a-cursor"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task Trial_control_retry_priority_extend_and_metrics_go_through_the_client()
    {
        var sweep = await _client.CreateSweepAsync(Request("client-control", batchSizes: [128]));
        var trial = await _client.AllTrialsAsync(sweep.Id).SingleAsync();

        await _client.SetTrialPriorityAsync(trial.Id, 1);
        await _client.CancelTrialAsync(trial.Id);
        Assert.Equal("cancelled", (await _client.GetTrialAsync(trial.Id)).Trial.State);
        await _client.RetryTrialAsync(trial.Id, fresh: true);
        var detail = await _client.GetTrialAsync(trial.Id);
        Assert.Equal("queued", detail.Trial.State);
        Assert.Equal(1, detail.Trial.Priority);
        Assert.Equal(sweep.Id, detail.SweepId);

        var conflict = await Assert.ThrowsAsync<SweepApiException>(() => _client.RetryTrialAsync(trial.Id));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);

        Assert.Equal(2, await _client.ExtendSweepAsync(sweep.Id, new SweepExtensionRequest(Seeds: [2, 3])));
        Assert.Equal(3, (await _client.GetSweepAsync(sweep.Id)).Trials.Count);

        await CountAsync($"UPDATE trials SET state = 'failed' WHERE sweep_id = '{sweep.Id}' RETURNING 1::bigint");
        Assert.Equal(3, await _client.RetryFailedAsync(sweep.Id));

        await CountAsync($"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trial.Id}', k, s, s, s, now() FROM generate_series(1, 5) s, (VALUES ('valLoss'), ('trainLoss')) AS keys(k) RETURNING 1::bigint");
        var points = await _client.AllTrialMetricsAsync(trial.Id).ToListAsync();
        Assert.Equal(10, points.Count);
        var page = await _client.GetTrialMetricsAsync(trial.Id, "valLoss", cursor: null, limit: 2);
        Assert.Equal([1L, 2], page.Items.Select(p => p.Step));
        Assert.NotNull(page.NextCursor);
    }

    [Fact]
    public async Task Workers_page_and_pause_through_the_client()
    {
        await CountAsync("""
            INSERT INTO workers (name, host, device, version, queues, state, consecutive_failures, trials_run, started_at, heartbeat_at)
            SELECT 'client-worker-' || i, 'host', 'cpu', '1', 'default,cpu', 'active', 0, 0, now(), now() FROM generate_series(1, 3) i
            RETURNING 1::bigint
            """);

        var page = await _client.ListWorkersAsync(limit: 2);
        var all = await _client.AllWorkersAsync().ToListAsync();
        await _client.PauseWorkerAsync("client-worker-2");

        Assert.Equal(2, page.Items.Count);
        Assert.Equal(["client-worker-1", "client-worker-2", "client-worker-3"], all.Select(w => w.Name));
        var paused = await _client.AllWorkersAsync().SingleAsync(w => w.Name == "client-worker-2");
        Assert.Equal(("paused", "administrator"), (paused.State, paused.PausedBy));
        var missing = await Assert.ThrowsAsync<SweepApiException>(() => _client.ResumeWorkerAsync("nobody"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task Exports_and_heatmaps_are_read_through_the_client()
    {
        var sweep = await _client.CreateSweepAsync(Request("client-export"));

        var csv = await _client.ExportAsync(sweep.Id, "trials.csv");
        var heatmap = await _client.GetHeatmapAsync(sweep.Id, "x=batchSize&y=ghostBatchSize&metric=valAccuracy");

        Assert.Equal(3, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, heatmap.ValueKind);
    }

    [Fact]
    public async Task A_checkpoint_is_pinned_unpinned_and_counted_through_the_client()
    {
        var sweep = await _client.CreateSweepAsync(Request("client-checkpoint"));
        var trial = (await _client.AllTrialsAsync(sweep.Id).FirstAsync()).Id;
        await CountAsync($"INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at, pinned) VALUES ('{trial}', 1, 10, '\\x0102030405', now(), false) RETURNING 1::bigint");

        await _client.PinCheckpointAsync(trial);
        var pinned = await _client.GetCheckpointSummaryAsync();
        await _client.UnpinCheckpointAsync(trial);
        var unpinned = await _client.GetCheckpointSummaryAsync();

        // Other tests of this class share the database: compare this sweep's line, and the pinned totals' change.
        var line = Assert.Single(pinned.Sweeps, s => s.SweepId == sweep.Id);
        Assert.Equal((1L, 5L), (line.Count, line.Bytes));
        Assert.Equal((1L, 5L), (pinned.PinnedCount - unpinned.PinnedCount, pinned.PinnedBytes - unpinned.PinnedBytes));
        Assert.Equal(pinned.Count, unpinned.Count); // a queued trial keeps its checkpoint to resume from
        var missing = await Assert.ThrowsAsync<SweepApiException>(() => _client.PinCheckpointAsync(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }
}
