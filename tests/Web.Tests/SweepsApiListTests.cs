using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>Cursor paging on every list: sweeps, workers, trials; and ordering trials by every heatmap metric.</summary>
[Collection(SharedHost.Api)]
public sealed class SweepsApiListTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<Guid> CreateAsync(string name, string batchSizes = "[128]", string seeds = "[1]")
    {
        var body = $$$"""{"name":"{{{name}}}","grid":{"batchSize":{{{batchSizes}}},"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":{{{seeds}}}}}""";
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Walks every page of a list, checking each page's size.</summary>
    private async Task<List<JsonElement>> WalkAsync(string path, int limit, Func<Task>? betweenPages = null)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await _client.GetFromJsonAsync<JsonElement>($"{path}{separator}limit={limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            var pageItems = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(pageItems.Count, 0, limit);
            items.AddRange(pageItems);
            cursor = page.GetProperty("nextCursor").GetString();
            if (betweenPages is not null)
            {
                await betweenPages();
            }
        }
        while (cursor is not null);
        return items;
    }

    [Fact]
    public async Task Sweeps_page_newest_first_and_every_sweep_comes_exactly_once_while_new_ones_arrive()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await CreateAsync($"feed-{i}"));
        }

        var arrivals = 0;
        var seen = await WalkAsync("/api/v1/sweeps?name=feed-", 3, async () => ids.Add(await CreateAsync($"feed-late-{arrivals++}")));

        var seenIds = seen.Select(s => s.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(seenIds.Distinct().Count(), seenIds.Count);

        // Sweeps created while paging are newer than the cursor, so a newest-first walk does not reach them.
        Assert.Equal(ids.Take(7).Reverse(), seenIds);
        var first = seen[0];
        Assert.Equal("feed-6", first.GetProperty("name").GetString());
        Assert.Equal(1, first.GetProperty("counts").GetProperty("queued").GetInt32());
        Assert.Equal("queued", first.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sweeps_filter_and_order_by_name_and_best_accuracy()
    {
        var b = await CreateAsync("sorted-b");
        var a = await CreateAsync("sorted-A");
        var c = await CreateAsync("sorted-c");
        await factory.Database.ScalarAsync<long>($"UPDATE trials SET state = 'completed', final_val_accuracy = CASE sweep_id WHEN '{a}' THEN 0.7 ELSE 0.9 END WHERE sweep_id IN ('{a}', '{c}') RETURNING 1::bigint");

        var byName = await WalkAsync("/api/v1/sweeps?name=sorted-&orderBy=name", 2);
        Assert.Equal([a, b, c], byName.Select(s => s.GetProperty("id").GetGuid()));

        var byBest = await WalkAsync("/api/v1/sweeps?name=sorted-&orderBy=bestValAccuracy", 1);
        Assert.Equal([c, a, b], byBest.Select(s => s.GetProperty("id").GetGuid()));
        var worstFirst = await WalkAsync("/api/v1/sweeps?name=sorted-&orderBy=bestValAccuracy&descending=false", 1);
        Assert.Equal([a, c, b], worstFirst.Select(s => s.GetProperty("id").GetGuid()));

        var finished = await WalkAsync("/api/v1/sweeps?name=sorted-&status=finished", 10);
        Assert.Equal([c, a], finished.Select(s => s.GetProperty("id").GetGuid()));
    }

    [Theory]
    [InlineData("orderBy=size", "orderBy")]
    [InlineData("status=exploded", "status")]
    [InlineData("cursor=%25%25", "cursor")]
    [InlineData("limit=0", "limit")]
    public async Task Bad_list_queries_are_field_errors(string query, string field)
    {
        var response = await _client.GetAsync($"/api/v1/sweeps?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_cursor_belongs_to_its_order()
    {
        await CreateAsync("cursor-order-1");
        await CreateAsync("cursor-order-2");
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/v1/sweeps?limit=1");
        var cursor = page.GetProperty("nextCursor").GetString();

        var response = await _client.GetAsync($"/api/v1/sweeps?orderBy=name&cursor={Uri.EscapeDataString(cursor!)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Workers_page_by_name()
    {
        await factory.Database.ScalarAsync<long>("""
            INSERT INTO workers (name, host, device, version, queues, state, consecutive_failures, trials_run, started_at, heartbeat_at)
            SELECT 'list-worker-' || i, 'host', 'cpu', '1', 'default,cpu', 'active', 0, 0, now(), now() FROM generate_series(1, 5) i
            RETURNING 1::bigint
            """);

        var workers = await WalkAsync("/api/v1/workers", 2);

        var names = workers.Select(w => w.GetProperty("name").GetString()!).Where(n => n.StartsWith("list-worker-", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"list-worker-{i}"), names);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/v1/workers?cursor=bm9wZQ")).StatusCode);
    }

    [Theory]
    [InlineData("trainLoss", false, new[] { 0.3, 0.2, 0.1 })]
    [InlineData("trainAccuracy", true, new[] { 0.3, 0.2, 0.1 })]
    [InlineData("valAccuracy", false, new[] { 0.1, 0.2, 0.3 })]
    [InlineData("valAccuracy", true, new[] { 0.3, 0.2, 0.1 })]
    [InlineData("valError", true, new[] { 0.1, 0.2, 0.3 })]
    [InlineData("gapToBaseline", false, new[] { 0.3, 0.2, 0.1 })]
    [InlineData("valLoss", false, new[] { 0.3, 0.2, 0.1 })]
    [InlineData("generalizationGap", false, new[] { 0.1, 0.2, 0.3 })]
    [InlineData("weightDistance", true, new[] { 0.3, 0.2, 0.1 })]
    [InlineData("steps", true, new[] { 0.1, 0.2, 0.3 })]
    [InlineData("wallSeconds", true, new[] { 0.3, 0.2, 0.1 })]
    public async Task Trials_order_by_every_heatmap_metric_with_unfinished_trials_last(string metric, bool descending, double[] expectedValAccuracies)
    {
        // Three finished trials whose metrics rise or fall with their validation accuracy, and one unfinished trial.
        var id = await CreateAsync($"order-{metric}-{descending}", batchSizes: "[128, 256, 512, 1024]");
        await factory.Database.ScalarAsync<long>($"""
            UPDATE trials SET state = 'completed',
                   final_val_accuracy = v, final_train_accuracy = v, final_generalization_gap = v, final_weight_distance = v,
                   final_train_loss = 1 - v, final_val_loss = 1 - v, final_steps = (100 * (1 - v))::bigint, final_wall_seconds = 1000 * v
            FROM (VALUES (128, 0.1), (256, 0.3), (512, 0.2)) AS x(b, v)
            WHERE sweep_id = '{id}' AND batch_size = x.b
            RETURNING 1::bigint
            """);

        var trials = await WalkAsync($"/api/v1/sweeps/{id}/trials?orderBy={metric}&descending={descending.ToString().ToLowerInvariant()}", 2);

        Assert.Equal(4, trials.Count);
        Assert.Equal(expectedValAccuracies, trials.Take(3).Select(t => t.GetProperty("metrics").GetProperty("valAccuracy").GetDouble()));
        Assert.Equal(1024, trials[3].GetProperty("batchSize").GetInt32());
    }

    [Fact]
    public async Task Trials_filter_by_the_optional_axes_too()
    {
        var body = """{"name":"axes-filter","grid":{"batchSize":[128,256],"ghostBatchSize":[128],"lrScaling":["none","sqrt"],"runningStats":["sequential","mean"]},"training":{"epochs":1,"lrDropEpochs":[]}}""";
        var created = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var trials = await WalkAsync($"/api/v1/sweeps/{id}/trials?lrScaling=sqrt&runningStats=mean&gbnImplementation=vectorized", 10);

        Assert.Equal([128, 256], trials.Select(t => t.GetProperty("batchSize").GetInt32()));
        Assert.All(trials, t => Assert.Equal("sqrt", t.GetProperty("lrScaling").GetString()));
        Assert.All(trials, t => Assert.Equal("mean", t.GetProperty("runningStats").GetString()));
        var bad = await _client.GetAsync($"/api/v1/sweeps/{id}/trials?lrScaling=cubic");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("linear", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("lrScaling")[0].GetString());
    }

    [Fact]
    public async Task Trial_orders_are_listed_when_one_is_unknown()
    {
        var id = await CreateAsync("order-unknown");

        var response = await _client.GetAsync($"/api/v1/sweeps/{id}/trials?orderBy=beauty");

        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("orderBy")[0].GetString()!;
        Assert.All(Sweep.Domain.Results.MetricNames.Plottable, m => Assert.Contains(m, message));
    }
}
