using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Testing;
using Xunit.Abstractions;

namespace Sweep.Web.Tests;

/// <summary>
/// Issue 18: a real worker stores its trainer's output while the trial runs, the logs API pages it by cursor, the
/// per-attempt bound holds, and the output of a trainer that failed stays readable.
/// </summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class TrialLogTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private const string OneCell = """{ "batchSize": [50], "ghostBatchSize": [25] }""";

    private const int TailBytes = 16 * 1024;

    private static readonly string[] Streams = ["stdout", "stderr"];

    [Fact]
    public async Task The_logs_of_a_running_trial_are_read_by_cursor_while_it_runs_and_after_it_ends_within_the_bound()
    {
        await using var harness = await FaultHarness.StartAsync();
        harness.StartWorker("logger", new() { ["Worker__TrialLogTailBytes"] = $"{TailBytes}" });
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("logs", OneCell, """{ "epochs": 14, "lrDropEpochs": [], "seeds": [1], "trainSubset": 2000 }"""));
        var trial = await harness.WaitForAsync(async () =>
            (await harness.TrialsAsync(sweepId)).SingleOrDefault(t => t is { State: "running", CurrentEpoch: >= 2 }), Long, "two epochs");

        // While it runs: the events so far, as text, with a cursor to go on from.
        var (live, cursor) = await ReadAsync(harness.Client, trial.Id, after: null);
        Assert.Contains("\"type\":\"epoch\"", live);
        Assert.Equal("running", (await harness.TrialsAsync(sweepId)).Single().State);

        // Follow the cursor to the end: what comes after it is new, and nothing is read twice.
        var all = live;
        var reads = 1;
        while ((await harness.TrialsAsync(sweepId)).Single().State == "running")
        {
            await Task.Delay(700);
            var (more, next) = await ReadAsync(harness.Client, trial.Id, cursor);
            (all, cursor, reads) = (all + more, next, reads + 1);
        }

        var (rest, last) = await ReadAsync(harness.Client, trial.Id, cursor);
        all += rest;
        output.WriteLine($"{reads + 1} reads, {all.Length} chars in all");
        Assert.Equal("completed", (await harness.TrialsAsync(sweepId)).Single().State);
        Assert.Contains("\"type\":\"completed\"", all);
        Assert.Equal(1, Count(all, "\"type\":\"completed\""));
        Assert.Equal(1, Count(all, "\"type\":\"epoch\",\"epoch\":3,"));

        // Past the end: nothing, and the same cursor back.
        var (nothing, same) = await ReadAsync(harness.Client, trial.Id, last);
        Assert.Equal("", nothing);
        Assert.Equal(last, same);

        // The bound: the attempt wrote more than it keeps, and what is kept is the newest, ending with the completion.
        var kept = await harness.Database.ScalarAsync<long>($"SELECT coalesce(sum(bytes), 0)::bigint FROM trial_log_chunks WHERE trial_id = '{trial.Id}'");
        var written = await harness.Database.ScalarAsync<long>($"SELECT max(stream_offset + bytes) FROM trial_log_chunks WHERE trial_id = '{trial.Id}' AND stream = 'stdout'");
        output.WriteLine($"kept {kept} of {written} bytes of stdout");
        Assert.InRange(kept, 1, TailBytes);
        Assert.True(written > TailBytes, $"the trial wrote only {written} bytes");
        var (tail, _) = await ReadAsync(harness.Client, trial.Id, after: null);
        Assert.True(tail.Length <= TailBytes, $"{tail.Length} chars kept");
        Assert.Contains("\"type\":\"completed\"", tail);
        Assert.DoesNotContain("\"type\":\"started\"", tail);

        // The JSON variant: the same text as chunks, each with its stream.
        using var json = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trials/{trial.Id}/logs?attempt=1");
        json.Headers.Accept.ParseAdd("application/json");
        using var page = await harness.Client.SendAsync(json);
        var body = await page.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("attempt").GetInt32());
        Assert.All(body.GetProperty("chunks").EnumerateArray(), c => Assert.Contains(c.GetProperty("stream").GetString(), Streams));
        Assert.Equal(tail, string.Concat(body.GetProperty("chunks").EnumerateArray().Select(c => c.GetProperty("text").GetString())));
    }

    [Fact]
    public async Task A_bad_cursor_or_attempt_is_a_field_error_and_an_unknown_trial_is_not_found()
    {
        await using var harness = await FaultHarness.StartAsync();
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("log-input", OneCell, """{ "epochs": 1, "lrDropEpochs": [], "seeds": [1], "trainSubset": 500 }"""));
        var trial = (await harness.TrialsAsync(sweepId)).Single();

        foreach (var (query, field) in new[] { ("after=not-a-cursor", "after"), ("after=bzo1", "after"), ("attempt=0", "attempt") })
        {
            using var response = await harness.Client.GetAsync($"/api/v1/trials/{trial.Id}/logs?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }

        // Queued, never started: an empty log with a cursor to start from.
        var (text, cursor) = await ReadAsync(harness.Client, trial.Id, after: null);
        Assert.Equal("", text);
        Assert.False(string.IsNullOrEmpty(cursor));
        using var missing = await harness.Client.GetAsync($"/api/v1/trials/{Guid.NewGuid()}/logs");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // Read like the trial itself: a share link of its sweep may, a link of another sweep may not.
        var otherSweep = await harness.PostSweepAsync(FaultHarness.Sweep("log-other", OneCell, """{ "epochs": 1, "lrDropEpochs": [], "seeds": [1], "trainSubset": 500 }"""));
        using var ownLink = harness.Web.CreateClient(await ShareAsync(harness.Client, sweepId));
        using var otherLink = harness.Web.CreateClient(await ShareAsync(harness.Client, otherSweep));
        var (shared, _) = await ReadAsync(ownLink, trial.Id, after: null);
        Assert.Equal("", shared);
        using var refused = await otherLink.GetAsync($"/api/v1/trials/{trial.Id}/logs");
        Assert.Contains(refused.StatusCode, Refusals);
    }

    private static readonly HttpStatusCode[] Refusals = [HttpStatusCode.NotFound, HttpStatusCode.Forbidden];

    private static async Task<string> ShareAsync(HttpClient client, Guid sweepId)
    {
        using var created = await client.PostAsJsonAsync($"/api/v1/sweeps/{sweepId}/share-links", new { });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    [Fact]
    public async Task The_output_of_a_trainer_that_fails_stays_readable_after_the_trial_failed()
    {
        await using var harness = await FaultHarness.StartAsync();

        // A dataset folder whose training images are not an IDX file: the trainer throws while loading, writes the
        // exception to stderr and exits 1.
        var data = Directory.CreateTempSubdirectory("sweep-broken-data-").FullName;
        try
        {
            SyntheticIdxDataset.Create(data, 64, 32);
            await using (var file = File.Create(Path.Combine(data, "train-images-idx3-ubyte.gz")))
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                await gzip.WriteAsync("not an idx file"u8.ToArray());
            }

            harness.StartWorker("broken", new() { ["Worker__DataDir"] = data, ["Worker__MaxConsecutiveFailures"] = "5" });
            var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("log-failure", OneCell, """{ "epochs": 2, "lrDropEpochs": [], "seeds": [1], "trainSubset": 64 }"""));
            var trial = (await harness.WaitForFinalAsync(sweepId, Long)).Single();
            Assert.True(trial is { State: "failed", FailureKind: "error" }, $"{trial}\n{harness.WorkerOutput()}");

            var (text, _) = await ReadAsync(harness.Client, trial.Id, after: null);
            output.WriteLine(text);
            Assert.Contains("\"type\":\"failed\"", text);
            Assert.Contains("bad magic number", text);
            Assert.Contains("   at ", text); // the stack trace, from stderr
            Assert.True(await harness.Database.ScalarAsync<long>($"SELECT count(*) FROM trial_log_chunks WHERE trial_id = '{trial.Id}' AND stream = 'stderr'") >= 1);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(string Text, string Cursor)> ReadAsync(HttpClient client, Guid trialId, string? after)
    {
        var url = $"/api/v1/trials/{trialId}/logs" + (after is null ? "" : $"?after={Uri.EscapeDataString(after)}");
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadAsStringAsync(), response.Headers.GetValues("Sweep-Log-Cursor").Single());
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
