using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sweep.Web.Tests;

/// <summary>
/// The heatmap's ETag and cached projection (ADR 0013): every write that changes a result, a metric point alone
/// included, gives a new ETag and a new answer; a lease renewal does not.
/// </summary>
public sealed partial class HeatmapApiTests
{
    private const string FinalQuery = "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=1";
    private const string EpochQuery = "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=1&at=epoch:1";

    private async Task<(HttpStatusCode Status, string? ETag, JsonElement? Map)> ReadAsync(Guid sweep, string query, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sweeps/{sweep}/heatmap?{query}");
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        }

        using var response = await _client.SendAsync(request);
        var map = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
        return (response.StatusCode, response.Headers.ETag?.ToString(), map);
    }

    [Fact]
    public async Task An_unchanged_sweep_answers_its_ETag_with_304_and_a_lease_renewal_changes_nothing()
    {
        var (sweep, _) = await CreateAsync("heatmap-etag");
        var first = await ReadAsync(sweep, FinalQuery);
        var other = await ReadAsync(sweep, EpochQuery);

        var again = await ReadAsync(sweep, FinalQuery, first.ETag);
        // The running trial's worker renews its lease: no result changed.
        await factory.Database.ScalarAsync<int>(
            $"UPDATE trials SET lease_expires_at = now() + interval '1 minute', lease_owner = 'w:1', priority = 1 WHERE sweep_id = '{sweep}' AND state = 'running' RETURNING 1");
        var afterLease = await ReadAsync(sweep, FinalQuery, first.ETag);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.ETag);
        Assert.NotEqual(first.ETag, other.ETag);
        Assert.Equal((HttpStatusCode.NotModified, first.ETag), (again.Status, again.ETag));
        Assert.Equal(HttpStatusCode.NotModified, afterLease.Status);
    }

    [Fact]
    public async Task A_metric_point_alone_gives_a_new_ETag_and_the_cached_heatmap_is_not_served_after_it()
    {
        var (sweep, small) = await CreateAsync("heatmap-etag-point");
        var before = await ReadAsync(sweep, EpochQuery);
        await ReadAsync(sweep, EpochQuery); // read twice: the second is the cached projection

        // A later write of epoch 1's point, as a worker's metric upsert with updateLatest=false writes it: the trial row's
        // columns do not change, only its metric points.
        await factory.Database.ScalarAsync<int>(
            $"UPDATE metric_points SET value = 0.99 WHERE trial_id = '{small}' AND key = 'valAccuracy' AND epoch = 1 RETURNING 1");
        var after = await ReadAsync(sweep, EpochQuery, before.ETag);

        Assert.Equal([0.90, 0.70], Row(before.Map!.Value));
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.NotEqual(before.ETag, after.ETag);
        Assert.Equal([0.99, 0.70], Row(after.Map!.Value));
    }

    [Fact]
    public async Task A_trial_that_completes_gives_a_new_ETag_and_its_value()
    {
        var (sweep, _) = await CreateAsync("heatmap-etag-complete");
        var before = await ReadAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=2");

        await factory.Database.ScalarAsync<int>(
            $"UPDATE trials SET state = 'completed', final_val_accuracy = 0.5 WHERE sweep_id = '{sweep}' AND state = 'running' RETURNING 1");
        var after = await ReadAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=2", before.ETag);

        Assert.Equal([0.96, null], Row(before.Map!.Value));
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal([0.96, 0.5], Row(after.Map!.Value));
    }
}
