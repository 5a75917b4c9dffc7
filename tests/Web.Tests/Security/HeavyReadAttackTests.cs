using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Sweep.Data.Archive;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Issue 13, item 9: heavy reads (archive, exports, checkpoint) stream from PostgreSQL to the response and are limited
/// per credential, so that neither one huge download nor many parallel ones can take the web process down.
/// </summary>
[Collection(ProcessWideMeasurementCollection.Name)]
public sealed class HeavyReadAttackTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>
{
    private const int CheckpointBytes = 64 * 1024 * 1024;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Item9_A_64_MB_checkpoint_downloads_without_the_web_process_allocating_its_size()
    {
        var world = await SecurityWorld.CreateAsync(factory);

        // 8 bytes 01 23 45 67 89 ab cd ef, repeated, made by the server: the test itself allocates nothing near 64 MB.
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at) VALUES ('{world.TrialB}', 3, 30, " +
            $"decode(repeat('0123456789abcdef', {CheckpointBytes / 8}), 'hex'), now()) RETURNING 1");
        using var client = factory.CreateClient(world.ViewerB);
        var buffer = new byte[64 * 1024];
        long read = 0;
        var firstBytes = Array.Empty<byte>();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using (var response = await client.GetAsync($"/api/v1/trials/{world.TrialB}/checkpoint", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(CheckpointBytes, response.Content.Headers.ContentLength);
            Assert.Contains("epoch-3", response.Content.Headers.ContentDisposition?.FileName ?? "");
            await using var body = await response.Content.ReadAsStreamAsync();
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                if (read == 0)
                {
                    firstBytes = buffer[..Math.Min(n, 8)];
                }

                read += n;
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(CheckpointBytes, read);
        Assert.Equal(Convert.FromHexString("0123456789abcdef"), firstBytes);

        // Materializing it (EF's byte[], then the response's copy) allocates at least its size; streaming, buffers.
        Assert.True(allocated < CheckpointBytes / 4, $"The download allocated {allocated / (1024 * 1024)} MB for a {CheckpointBytes / (1024 * 1024)} MB checkpoint.");
    }

    [Fact]
    public async Task Item9_The_archive_starts_streaming_before_the_metric_history_is_read()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var trials = await TrialsAsync(world);
        await AddHistoryAsync(trials, points: 2000);
        using var client = factory.CreateClient(world.ViewerB);

        // While the metric history cannot be read, an export that builds the archive first cannot answer at all.
        var received = new MemoryStream();
        await using (var history = await LockMetricHistoryAsync())
        {
            using var response = await client.GetAsync($"/api/v1/sweeps/{world.SweepB}/export/archive.sweep.json.gz", HttpCompletionOption.ResponseHeadersRead)
                .WaitAsync(Patience);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStreamAsync();
            var first = new byte[2];
            await body.ReadExactlyAsync(first).AsTask().WaitAsync(Patience);
            received.Write(first);
            Assert.True(first is [0x1f, 0x8b], $"Not gzip: {Convert.ToHexString(first)}; {response.Content.Headers}");

            await history.DisposeAsync();
            await body.CopyToAsync(received);
        }

        received.Position = 0;
        var archive = await SweepArchiver.ReadAsync(received, CancellationToken.None);
        Assert.Equal(world.SweepBName, archive.Sweep.Name);
        Assert.Equal(trials.Count, archive.Trials.Count);
        Assert.All(archive.Trials, t => Assert.Equal(2000, t.Points.Value.Count));
        Assert.All(archive.Trials, t => Assert.Equal(["trainLoss", "valAccuracy"], t.MetricKeys));
    }

    [Fact]
    public async Task Item9_Heavy_reads_beyond_the_limit_of_one_credential_get_429_with_Retry_After_while_another_credential_still_reads()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at) VALUES ('{world.TrialB}', 1, 10, '\\xdeadbeef'::bytea, now()) RETURNING 1");
        using var attacker = factory.CreateClient(world.ViewerB);
        using var other = factory.CreateClient(world.EditorB);
        var archive = $"/api/v1/sweeps/{world.SweepB}/export/archive.sweep.json.gz";

        // Two archives (the default limit) hold their permits: they wait for the metric history, which is locked.
        await using var history = await LockMetricHistoryAsync();
        var held = new List<HttpResponseMessage>();
        for (var i = 0; i < 2; i++)
        {
            held.Add(await attacker.GetAsync(archive, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience));
            Assert.Equal(HttpStatusCode.OK, held[^1].StatusCode);
        }

        foreach (var url in new[] { archive, $"/api/v1/trials/{world.TrialB}/checkpoint", $"/api/v1/sweeps/{world.SweepB}/export/cells.csv" })
        {
            using var refused = await attacker.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
            Assert.True(HttpStatusCode.TooManyRequests == refused.StatusCode, $"{url}: {refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
            Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"{url}: no Retry-After");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // Another credential is not held up by the first one's downloads.
        using var othersCheckpoint = await other.GetAsync($"/api/v1/trials/{world.TrialB}/checkpoint").WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, othersCheckpoint.StatusCode);
        Assert.Equal(Convert.FromHexString("deadbeef"), await othersCheckpoint.Content.ReadAsByteArrayAsync());

        await history.DisposeAsync();
        foreach (var response in held)
        {
            await response.Content.ReadAsByteArrayAsync().WaitAsync(Patience);
            response.Dispose();
        }

        // The permits come back when the downloads end.
        using var again = await attacker.GetAsync($"/api/v1/trials/{world.TrialB}/checkpoint").WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    /// <summary>Holds an ACCESS EXCLUSIVE lock on metric_points until disposed: every read of the history waits.</summary>
    private async Task<NpgsqlConnection> LockMetricHistoryAsync()
    {
        var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand("BEGIN; LOCK TABLE metric_points IN ACCESS EXCLUSIVE MODE;", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_locks WHERE relation = 'metric_points'::regclass AND mode = 'AccessExclusiveLock' AND granted"));
        return connection;
    }

    private async Task<List<Guid>> TrialsAsync(SecurityWorld world)
    {
        using var owner = factory.CreateClient(world.OwnerB);
        var sweep = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{world.SweepB}");
        return sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
    }

    private async Task AddHistoryAsync(IEnumerable<Guid> trials, int points)
    {
        foreach (var trial in trials)
        {
            await factory.Database.ScalarAsync<int>(
                $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trial}', k, s, s / 100, s * 0.5, now() " +
                $"FROM generate_series(1, {points / 2}) s, unnest(array['valAccuracy', 'trainLoss']) k RETURNING 1");
        }
    }
}
